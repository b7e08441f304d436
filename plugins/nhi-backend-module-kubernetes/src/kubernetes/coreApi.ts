import {
  type ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  Observable,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import type { KubernetesCluster } from './clusters';

/** A client of the cluster's core API, authenticating with the token as a bearer token. */
export function coreApiOf(cluster: KubernetesCluster, token: string) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: 'nhi-discovery', token }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'nhi-discovery' },
    ],
    currentContext: cluster.name,
  });
  return kc.makeApiClient(CoreV1Api);
}

/**
 * Call options that tie each request to the run's signal: client-node takes no signal of its
 * own, so a request left hanging would outlive the run's timeout without it.
 */
export function abortingWith(
  signal: AbortSignal,
): ConfigurationOptions<ObservableMiddleware> {
  return {
    middleware: [
      {
        pre: context => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: response => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
