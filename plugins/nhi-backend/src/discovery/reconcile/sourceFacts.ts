import type {
  DiscoveredCredential,
  IdentitySourceFacts,
  SourceDisagreement,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../../engine/types';

/** How many of an identity's credentials its source facts name; the rest are counted only. */
const CREDENTIALS_KEPT = 20;

/** The earlier or later of two ISO times, either of which may be absent. */
const earliest = (a?: string, b?: string) =>
  [a, b].filter((v): v is string => !!v).sort()[0];
const latest = (a?: string, b?: string) =>
  [a, b]
    .filter((v): v is string => !!v)
    .sort()
    .pop();

/**
 * Gathers what one source lists for one identity. Where a principal holds several credentials
 * the oldest active one decides its rotation and the first to expire its expiry: a second,
 * fresh key does not hide an old one that still works.
 */
export class SourceFactsBuilder {
  private readonly facts: IdentitySourceFacts;
  private count = 0;
  /** Who the credentials authenticate as, to attribute usage logs to the identity. */
  principal?: string;

  constructor(
    base: Pick<
      IdentitySourceFacts,
      'sourceId' | 'format' | 'readAt' | 'reportsUsage'
    >,
  ) {
    this.facts = { ...base, listed: true, credentials: [], dates: {} };
  }

  add(c: DiscoveredCredential): this {
    const f = this.facts;
    this.principal ??= c.principal;
    if (this.count++ < CREDENTIALS_KEPT) {
      f.credentials!.push({
        externalId: c.externalId,
        kind: c.kind,
        active: c.active,
      });
    }
    const dates = f.dates!;
    dates.createdAt = earliest(dates.createdAt, c.createdAt);
    dates.lastUsedAt = latest(dates.lastUsedAt, c.lastUsedAt);
    if (c.active) {
      dates.lastRotatedAt = earliest(
        dates.lastRotatedAt,
        c.lastRotatedAt ?? c.createdAt,
      );
      dates.expiresAt = earliest(dates.expiresAt, c.expiresAt);
    }
    if (c.ownerHint) f.ownerHint ??= c.ownerHint;
    if (c.findings?.length) f.findings = [...(f.findings ?? []), ...c.findings];
    return this;
  }

  /** The facts, with where the declaration (if any) says otherwise. */
  build(declared?: IdentityRecord['credential']): IdentitySourceFacts {
    const dates = Object.fromEntries(
      Object.entries(this.facts.dates!).filter(([, v]) => v !== undefined),
    );
    const disagreements = declared ? disagreementsOf(declared, dates) : [];
    return {
      ...this.facts,
      dates,
      ...(disagreements.length ? { disagreements } : {}),
    };
  }
}

const COMPARED = ['createdAt', 'lastRotatedAt', 'expiresAt'] as const;

/** Declared dates that name another day than the source's (declarations are often days). */
export function disagreementsOf(
  declared: IdentityRecord['credential'],
  source: NonNullable<IdentitySourceFacts['dates']>,
): SourceDisagreement[] {
  return COMPARED.flatMap(field => {
    const d = declared[field];
    const s = source[field];
    return d && s && d.slice(0, 10) !== s.slice(0, 10)
      ? [{ field, declared: d, source: s }]
      : [];
  });
}
