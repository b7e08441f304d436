import { createHash } from 'crypto';
import {
  DISCOVERED_KIND_TYPES,
  DiscoveredCredential,
  resolveSpecRefString,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../../engine/types';

/** Identities nobody declared live in their own namespace, never mixed with the catalog's. */
export const DISCOVERED_NAMESPACE = 'discovered';

/**
 * A readable, stable entity name: the credential's own name, cut to fit, and a digest of its
 * provider and id so that two credentials never share one.
 */
function nameOf(c: DiscoveredCredential) {
  const digest = createHash('sha256')
    .update(`${c.provider}\u0000${c.externalId}`)
    .digest('hex')
    .slice(0, 10);
  const slug = (c.displayName ?? c.principal ?? c.externalId)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return `${c.provider}-${slug ? `${slug}-` : ''}${digest}`;
}

export const discoveredRef = (c: DiscoveredCredential) =>
  `machineidentity:${DISCOVERED_NAMESPACE}/${nameOf(c)}`;

/**
 * The owner a source names (a label or tag value), as a catalog ref: `payments` is the group
 * payments. Nothing when the hint is not a usable name; the owner-orphaned finding then says
 * whether the group exists.
 */
export function inferOwner(hint: string | undefined): string | undefined {
  if (!hint) return undefined;
  try {
    return resolveSpecRefString(hint.trim().toLowerCase(), 'owner', 'default');
  } catch {
    return undefined;
  }
}

/** An undeclared credential as an identity of the plugin's own table. */
export function toDiscoveredRecord(
  c: DiscoveredCredential,
  sourceId: string,
): IdentityRecord {
  return {
    ref: discoveredRef(c),
    type: DISCOVERED_KIND_TYPES[c.kind],
    owner: inferOwner(c.ownerHint),
    usedBy: [],
    provider: c.provider,
    externalId: c.externalId,
    purpose: `Found by discovery source ${sourceId}: ${
      c.displayName ?? c.principal
    }`,
    scopes: c.scopes ?? [],
    credential: {
      ...(c.managedByProvider ? { rotation: 'automatic' as const } : {}),
      ...(c.createdAt ? { createdAt: c.createdAt } : {}),
      ...(c.lastRotatedAt ? { lastRotatedAt: c.lastRotatedAt } : {}),
      ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
    },
  };
}
