import type {
  V1ObjectMeta,
  V1Secret,
  V1ServiceAccount,
} from '@kubernetes/client-node';

/** The Secrets that are long-lived service account tokens, as a field selector. */
export const TOKEN_SECRETS = 'type=kubernetes.io/service-account-token';

/** The only annotation read: which service account a token Secret belongs to. */
const ACCOUNT_ANNOTATION = 'kubernetes.io/service-account.name';

/** An item as the `kubernetes-service-accounts` format reads it. */
export interface ListedItem {
  kind: 'ServiceAccount' | 'Secret';
  type?: string;
  metadata: {
    name?: string;
    namespace?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

function metadataOf(m: V1ObjectMeta | undefined, annotation?: string) {
  const created = m?.creationTimestamp;
  const kept = annotation ? m?.annotations?.[annotation] : undefined;
  return {
    name: m?.name,
    namespace: m?.namespace,
    // client-node turns timestamps into Dates; the format reads them as the API writes them.
    creationTimestamp:
      created instanceof Date ? created.toISOString() : created,
    labels: m?.labels,
    ...(kept !== undefined ? { annotations: { [annotation!]: kept } } : {}),
  };
}

export const listedAccount = (sa: V1ServiceAccount): ListedItem => ({
  kind: 'ServiceAccount',
  metadata: metadataOf(sa.metadata),
});

/**
 * A token Secret without its `data` (the token itself) and without other annotations: `kubectl
 * apply` keeps the whole applied manifest, `stringData` included, in one of them. What is
 * dropped here never reaches the parser, the store or a log.
 */
export const listedToken = (secret: V1Secret): ListedItem => ({
  kind: 'Secret',
  type: secret.type,
  metadata: metadataOf(secret.metadata, ACCOUNT_ANNOTATION),
});
