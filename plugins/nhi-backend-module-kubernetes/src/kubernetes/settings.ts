import { z } from 'zod';

/**
 * The `settings` of a `kubernetes` source. Clusters, their URLs and tokens come from the
 * Kubernetes plugin's own config (`kubernetes.clusterLocatorMethods`): tokens belong there,
 * where Backstage already keeps them, and the nhi plugin refuses secret-looking values in its
 * own keys. Settings only choose among those clusters.
 */
export const kubernetesSettings = z.strictObject({
  /** Names of the clusters to read; without it, every cluster of `type: config` is read. */
  clusters: z
    .array(z.string().min(1, 'must name a cluster'))
    .min(1, 'name at least one cluster, or leave clusters out to read all')
    .optional(),
  /**
   * Items per list call (`limit`). The API server may answer fewer and a `continue` token;
   * every page is read either way.
   */
  pageSize: z.number().int().min(1).max(5000).default(500),
});

export type KubernetesSettings = z.infer<typeof kubernetesSettings>;
