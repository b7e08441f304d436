import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { JsonItem, parseItem, streamJsonArray } from './json';
import { SourceParseError } from './SourceParseError';
import { SourceInput } from './stream';
import { oneOf, optionalText, quote, timestamp, toIsoUtc } from './values';

const SOURCE = 'kubernetes-service-accounts';

const TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME = 'kubernetes.io/service-account.name';
const LAST_USED = 'kubernetes.io/legacy-token-last-used';
const INVALID_SINCE = 'kubernetes.io/legacy-token-invalid-since';
const OWNER_LABELS = ['backstage.io/owner', 'app.kubernetes.io/part-of'];

const stringMap = z
  .record(z.string(), z.string())
  .nullish()
  .transform(v => v ?? {});

// Only metadata is read: a Secret's `data` and `stringData` hold the token and never are.
const itemSchema = z.object({
  kind: oneOf(['ServiceAccount', 'Secret']),
  type: optionalText(),
  metadata: z.object({
    name: z.string({ error: 'must be a name' }),
    namespace: z.string({ error: 'must be a namespace' }),
    creationTimestamp: timestamp().optional(),
    labels: stringMap,
    annotations: stringMap,
  }),
});

/** How RBAC and audit logs name a service account; the examples declare them so too. */
const accountName = (namespace: string, name: string) =>
  `system:serviceaccount:${namespace}:${name}`;

const ownerOf = (labels: Record<string, string>) =>
  OWNER_LABELS.map(label => labels[label]).find(Boolean);

const fail = (location: string, reason: string): never => {
  throw new SourceParseError(SOURCE, location, reason);
};

/** A day label set by the control plane (`2026-05-07`); a bad one means a bad file. */
function dayLabel(
  item: JsonItem,
  labels: Record<string, string>,
  label: string,
) {
  const value = labels[label];
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? toIsoUtc(value) : undefined;
  return (
    iso ??
    fail(
      `${item.location}.metadata.labels["${label}"]`,
      `${quote(value)} is not a date (YYYY-MM-DD)`,
    )
  );
}

/**
 * Reads `kubectl get serviceaccounts,secrets -A -o json`. Each Secret of type
 * service-account-token is a long-lived credential of its service account; a service
 * account with none is yielded as kind `service-account`, an identity without a stored
 * credential. Both are yielded once the whole list is read, since a token's owner may come
 * from its account's labels and kubectl may list either first; meanwhile only a few fields
 * of each are kept, never a Secret's data.
 */
export async function* parseKubernetesServiceAccounts(
  input: SourceInput,
): AsyncGenerator<DiscoveredCredential> {
  const accounts = new Map<string, DiscoveredCredential>();
  const tokens: DiscoveredCredential[] = [];

  for await (const item of streamJsonArray(input, SOURCE, ['items'])) {
    const { kind, type, metadata } = parseItem(itemSchema, item, SOURCE);
    const { namespace, name, labels, annotations } = metadata;
    const common = {
      provider: 'kubernetes' as const,
      displayName: `${namespace}/${name}`,
      createdAt: metadata.creationTimestamp,
      ownerHint: ownerOf(labels),
    };
    if (kind === 'ServiceAccount') {
      const account = accountName(namespace, name);
      accounts.set(account, {
        ...common,
        externalId: account,
        kind: 'service-account',
        principal: account,
        active: true,
      });
      continue;
    }
    if (type !== TOKEN_TYPE) continue;
    const saName =
      annotations[SA_NAME] ||
      fail(
        `${item.location}.metadata.annotations["${SA_NAME}"]`,
        `must name the service account of a ${TOKEN_TYPE} Secret`,
      );
    // Since Kubernetes 1.29 the control plane invalidates legacy tokens left unused.
    const invalidSince = dayLabel(item, labels, INVALID_SINCE);
    tokens.push({
      ...common,
      externalId: `${namespace}/${name}`,
      kind: 'service-account-token',
      principal: accountName(namespace, saName),
      active: !invalidSince,
      lastUsedAt: dayLabel(item, labels, LAST_USED),
      disabledReason: invalidSince
        ? `invalidated since ${invalidSince.slice(0, 10)}`
        : undefined,
    });
  }

  const withTokens = new Set<string>();
  for (const token of tokens) {
    withTokens.add(token.principal);
    const account = accounts.get(token.principal);
    yield { ...token, ownerHint: token.ownerHint ?? account?.ownerHint };
  }
  for (const account of accounts.values()) {
    if (!withTokens.has(account.principal)) yield account;
  }
}
