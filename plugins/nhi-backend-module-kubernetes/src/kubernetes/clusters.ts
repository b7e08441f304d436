import { readFile } from 'fs/promises';
import type { Config } from '@backstage/config';
import type { KubernetesSettings } from './settings';

/** Where a pod's own service account token is mounted; Backstage's Kubernetes plugin reads it too. */
export const IN_CLUSTER_TOKEN_PATH =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

const LOCATORS = 'kubernetes.clusterLocatorMethods';
const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';

/** A cluster as the Kubernetes plugin's config gives it, or why it cannot be read. */
export interface KubernetesCluster {
  name: string;
  url: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /**
   * The bearer token, read when the cluster is read: a mounted token is rotated by the
   * kubelet, so it is never kept between runs.
   */
  token(): Promise<string>;
}

export type ClusterEntry =
  | { name: string; cluster: KubernetesCluster }
  | { name: string; problem: string };

/** `authMetadata`, read whole: its keys (`kubernetes.io/auth-provider`) are no config paths. */
function authMetadataOf(c: Config): Record<string, string | undefined> {
  const metadata = c.getOptional('authMetadata');
  return typeof metadata === 'object' && metadata !== null
    ? (metadata as Record<string, string | undefined>)
    : {};
}

/**
 * The token Backstage's `serviceAccount` auth provider uses: `serviceAccountToken` (or
 * `authMetadata.serviceAccountToken`), else the pod's own mounted token.
 */
function tokenOf(c: Config, name: string, tokenPath: string) {
  const configured =
    c.getOptionalString('serviceAccountToken') ??
    authMetadataOf(c).serviceAccountToken;
  if (configured) return async () => configured;
  return async () => {
    try {
      return (await readFile(tokenPath, 'utf8')).trim();
    } catch (e) {
      throw new Error(
        `cluster ${name} gives no serviceAccountToken and no mounted token could be read at ${tokenPath} (${
          (e as NodeJS.ErrnoException).code ?? 'unreadable'
        })`,
      );
    }
  };
}

function clusterOf(c: Config, tokenPath: string): ClusterEntry {
  const name = c.getString('name');
  const authProvider =
    c.getOptionalString('authProvider') ?? authMetadataOf(c)[AUTH_PROVIDER_KEY];
  if (authProvider !== 'serviceAccount') {
    return {
      name,
      problem: `authProvider ${JSON.stringify(
        authProvider ?? '',
      )} is not supported: the kubernetes connector reads with a service account token (authProvider: serviceAccount)`,
    };
  }
  return {
    name,
    cluster: {
      name,
      url: c.getString('url'),
      caData: c.getOptionalString('caData'),
      caFile: c.getOptionalString('caFile'),
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      token: tokenOf(c, name, tokenPath),
    },
  };
}

/**
 * The clusters a run reads: those of the Kubernetes plugin's `type: config` locators, or the
 * ones the settings name among them. A cluster that cannot be read as configured is still
 * listed, with its problem, so that it shows as a failed scope rather than vanishing.
 * @throws Error when no cluster is configured, or one name is given twice
 */
export function clustersToRead(
  config: Config,
  settings: KubernetesSettings,
  tokenPath: string = IN_CLUSTER_TOKEN_PATH,
): ClusterEntry[] {
  const configured = (config.getOptionalConfigArray(LOCATORS) ?? [])
    .filter(m => m.getString('type') === 'config')
    .flatMap(m => m.getOptionalConfigArray('clusters') ?? [])
    .map(c => clusterOf(c, tokenPath));
  if (!configured.length) {
    throw new Error(
      `no cluster is configured: the kubernetes connector reads the clusters of ${LOCATORS} entries of type: config`,
    );
  }
  const byName = new Map<string, ClusterEntry>();
  for (const entry of configured) {
    // Each cluster is a scope: two of one name would share, and muddle, one outcome.
    if (byName.has(entry.name)) {
      throw new Error(
        `cluster ${entry.name} is configured twice in ${LOCATORS}`,
      );
    }
    byName.set(entry.name, entry);
  }
  if (!settings.clusters) return [...byName.values()];
  return [...new Set(settings.clusters)].map(
    name =>
      byName.get(name) ?? {
        name,
        problem: `settings.clusters names ${name}, which ${LOCATORS} does not configure (configured: ${[
          ...byName.keys(),
        ].join(', ')})`,
      },
  );
}
