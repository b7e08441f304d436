import { Readable } from 'stream';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import type { ConnectorReadOptions } from '@nhi-governance/plugin-nhi-node';
import type { KubernetesCluster } from './clusters';
import { abortingWith, coreApiOf } from './coreApi';
import { listAll } from './listAll';
import { listedAccount, listedToken, TOKEN_SECRETS } from './listedItems';
import type { RetryPolicy } from './retry';

/** The built-in file format of `kubectl get serviceaccounts,secrets -A -o json`. */
const SERVICE_ACCOUNTS_FORMAT = 'kubernetes-service-accounts';

export interface ReadClusterOptions {
  read: Pick<ConnectorReadOptions, 'parseAs' | 'signal'>;
  pageSize: number;
  retry: RetryPolicy;
}

/**
 * One cluster's service accounts and long-lived token Secrets, across namespaces, read by the
 * same parser as a `kubectl … -o json` file. Both lists go in one document, since a token's
 * owner may come from its account's labels.
 *
 * The format's ids name a namespace, not a cluster, and every cluster has a
 * `system:serviceaccount:default:default`: ids are prefixed with the cluster so that one
 * cluster's credentials never stand in for another's. The principal is left as Kubernetes
 * names it, which is what declarations match.
 */
export async function* readCluster(
  cluster: KubernetesCluster,
  { read, pageSize, retry }: ReadClusterOptions,
): AsyncGenerator<DiscoveredCredential> {
  const api = coreApiOf(cluster, await cluster.token());
  const options = abortingWith(read.signal);
  const accounts = await listAll(
    'serviceaccounts',
    async next => {
      const page = await api.listServiceAccountForAllNamespaces(
        { limit: pageSize, _continue: next },
        options,
      );
      return { ...page, items: page.items.map(listedAccount) };
    },
    read.signal,
    retry,
  );
  // Each page of Secrets is cut to metadata as it arrives: no token outlives its page.
  const tokens = await listAll(
    'secrets',
    async next => {
      const page = await api.listSecretForAllNamespaces(
        { fieldSelector: TOKEN_SECRETS, limit: pageSize, _continue: next },
        options,
      );
      return { ...page, items: page.items.map(listedToken) };
    },
    read.signal,
    retry,
  );
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [...accounts, ...tokens],
  };
  for await (const credential of read.parseAs(
    'credentials',
    SERVICE_ACCOUNTS_FORMAT,
    Readable.from([JSON.stringify(list)]),
  )) {
    yield {
      ...credential,
      externalId: `${cluster.name}/${credential.externalId}`,
      displayName: `${cluster.name}/${
        credential.displayName ?? credential.principal
      }`,
      scope: cluster.name,
    };
  }
}
