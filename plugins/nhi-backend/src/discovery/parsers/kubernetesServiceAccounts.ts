import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { JsonItem, streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { SourceParseError } from './SourceParseError';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import {
  oneOf,
  optionalText,
  optionalTimestamp,
  describeValue,
  toIsoUtc,
} from './values';

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
    creationTimestamp: optionalTimestamp(),
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

/**
 * A list the API server returns (`GET /api/v1/serviceaccounts`, a ServiceAccountList) names
 * the kind once for the whole list, not on each item; `kubectl get -o json` names it on each.
 * An item without one is told apart by its link or its shape: every Secret has a type.
 */
function withKind(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'kind' in value) {
    return value;
  }
  const { selfLink } = ((value as { metadata?: unknown }).metadata ?? {}) as {
    selfLink?: unknown;
  };
  const link = typeof selfLink === 'string' ? selfLink : '';
  let kind = 'type' in value ? 'Secret' : 'ServiceAccount';
  if (link.includes('/secrets/')) kind = 'Secret';
  if (link.includes('/serviceaccounts/')) kind = 'ServiceAccount';
  return { ...value, kind };
}

/** A day label set by the control plane (`2026-05-07`); an unreadable one is unknown. */
function dayLabel(
  item: JsonItem,
  labels: Record<string, string>,
  label: string,
  warn: WarnFn,
) {
  const value = labels[label];
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? toIsoUtc(value) : undefined;
  if (!iso) {
    warn({
      location: item.location,
      field: `metadata.labels["${label}"]`,
      reason: `${describeValue(
        value,
      )} is not a date (YYYY-MM-DD): read as unknown`,
    });
  }
  return iso;
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
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<DiscoveredCredential> {
  const accounts = new Map<string, DiscoveredCredential>();
  const tokens: DiscoveredCredential[] = [];

  for await (const listed of streamJsonArray(input, SOURCE, ['items'])) {
    const item = { ...listed, value: withKind(listed.value) };
    const { kind, type, metadata } = parseLenient(
      itemSchema,
      item,
      SOURCE,
      warn,
    );
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
    // Since Kubernetes 1.29 the control plane invalidates legacy tokens left unused; the
    // label says so even where its date cannot be read.
    const invalidated = labels[INVALID_SINCE] !== undefined;
    const invalidSince = dayLabel(item, labels, INVALID_SINCE, warn);
    tokens.push({
      ...common,
      externalId: `${namespace}/${name}`,
      kind: 'service-account-token',
      principal: accountName(namespace, saName),
      active: !invalidated,
      lastUsedAt: dayLabel(item, labels, LAST_USED, warn),
      disabledReason: invalidated
        ? `invalidated since ${invalidSince?.slice(0, 10) ?? 'an unknown date'}`
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
