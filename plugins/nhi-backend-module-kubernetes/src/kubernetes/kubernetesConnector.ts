import type { Config } from '@backstage/config';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import { clustersToRead, IN_CLUSTER_TOKEN_PATH } from './clusters';
import { readCluster } from './readCluster';
import { DEFAULT_RETRY, RetryPolicy } from './retry';
import { kubernetesSettings } from './settings';

export const KUBERNETES_CONNECTOR = 'kubernetes';

/**
 * The `kubernetes` connector: every configured cluster's service accounts and long-lived
 * service account token Secrets. A cluster that cannot be read (its token refused, RBAC
 * missing, the API server failing) keeps its last good credentials and shows its error on the
 * Discovery tab; the others are read as usual.
 */
export function kubernetesConnector(options: {
  /** The root config: clusters come from `kubernetes.clusterLocatorMethods`. */
  config: Config;
  /** Retries of throttled and failed calls; tests shorten the back-off. */
  retry?: Partial<RetryPolicy>;
  /** The mounted token of a cluster configured without `serviceAccountToken`. */
  inClusterTokenPath?: string;
}): NhiConnector {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  return {
    id: KUBERNETES_CONNECTOR,
    kind: 'credentials',
    provider: 'kubernetes',
    // The legacy-token-last-used label is set only on Secret tokens, and only from 1.29.
    reportsUsage: false,
    settingsSchema: kubernetesSettings,
    defaultSchedule: { frequency: { hours: 1 }, timeout: { minutes: 15 } },
    async *read(read) {
      // A source without settings is given none at all: the defaults are filled in here.
      const settings = kubernetesSettings.parse(read.settings ?? {});
      const clusters = clustersToRead(
        options.config,
        settings,
        options.inClusterTokenPath ?? IN_CLUSTER_TOKEN_PATH,
      );
      for (const entry of clusters) {
        if ('problem' in entry) {
          read.scopes.failed(entry.name, new Error(entry.problem));
          continue;
        }
        try {
          yield* readCluster(entry.cluster, {
            read,
            pageSize: settings.pageSize,
            retry,
          });
          read.scopes.read(entry.name);
        } catch (e) {
          if (read.signal.aborted) throw e;
          const error = (e as Error)?.message ?? String(e);
          read.logger.warn(`Kubernetes cluster ${entry.name} was not read`, {
            error,
          });
          read.scopes.failed(entry.name, new Error(error));
        }
      }
    },
  };
}
