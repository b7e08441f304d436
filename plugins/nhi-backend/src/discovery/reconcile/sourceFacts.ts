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
 * the active ones decide its creation and last use, the oldest active one its rotation and the first to expire its expiry: a second,
 * fresh key does not hide an old one that still works. Each credential keeps its own dates,
 * for the checks made key by key. A source that reports usage says "never used" by leaving
 * out a date only for credentials whose usage it knows: where it cannot say it for an active
 * credential (an AWS signing certificate, an unreadable cell), the identity gets no usage
 * verdict from it.
 */
export class SourceFactsBuilder {
  private readonly facts: IdentitySourceFacts;
  private count = 0;
  private activeUsageUnknown = false;
  /**
   * Creation and use over every credential, and over the active ones only: while any credential
   * works, the identity's age and use are those of the working ones. An old key made inactive
   * would otherwise date a fresh active key years back, and start its never-used grace period
   * long over; its last use would hide that the working key was never used.
   */
  private readonly anyCredential: { createdAt?: string; lastUsedAt?: string } =
    {};
  private readonly activeCredential: {
    createdAt?: string;
    lastUsedAt?: string;
  } = {};
  private anyActive = false;
  /** Over every credential: the kept list alone would call an identity inactive wrongly. */
  private activeCount = 0;
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
    const kept = {
      externalId: c.externalId,
      kind: c.kind,
      active: c.active,
      ...(c.createdAt ? { createdAt: c.createdAt } : {}),
      ...(c.lastRotatedAt ? { lastRotatedAt: c.lastRotatedAt } : {}),
      ...(c.lastUsedAt ? { lastUsedAt: c.lastUsedAt } : {}),
      ...(c.usageUnknown ? { usageUnknown: true } : {}),
    };
    if (this.count++ < CREDENTIALS_KEPT) f.credentials!.push(kept);
    else if (c.active) {
      // The checks made key by key judge active keys: one takes the place of an inactive one.
      const inactive = f.credentials!.findIndex(k => !k.active);
      if (inactive >= 0) f.credentials!.splice(inactive, 1, kept);
    }
    if (c.active) {
      this.anyActive = true;
      this.activeCount++;
    }
    if (c.active && c.usageUnknown) this.activeUsageUnknown = true;
    const dates = f.dates!;
    this.anyCredential.createdAt = earliest(
      this.anyCredential.createdAt,
      c.createdAt,
    );
    this.anyCredential.lastUsedAt = latest(
      this.anyCredential.lastUsedAt,
      c.lastUsedAt,
    );
    if (c.active) {
      this.activeCredential.createdAt = earliest(
        this.activeCredential.createdAt,
        c.createdAt,
      );
      this.activeCredential.lastUsedAt = latest(
        this.activeCredential.lastUsedAt,
        c.lastUsedAt,
      );
      dates.lastRotatedAt = earliest(
        dates.lastRotatedAt,
        c.lastRotatedAt ?? c.createdAt,
      );
      dates.expiresAt = earliest(dates.expiresAt, c.expiresAt);
    }
    if (c.ownerHint) f.ownerHint ??= c.ownerHint;
    // A user's findings (two active keys, root use) come with each of its credentials: once.
    for (const finding of c.findings ?? []) {
      const known = (f.findings ??= []);
      if (
        !known.some(k => k.code === finding.code && k.detail === finding.detail)
      )
        known.push(finding);
    }
    return this;
  }

  /** The facts, with where the declaration (if any) says otherwise. */
  build(declared?: IdentityRecord['credential']): IdentitySourceFacts {
    const dates = Object.fromEntries(
      Object.entries({
        ...this.facts.dates!,
        ...(this.anyActive ? this.activeCredential : this.anyCredential),
      }).filter(([, v]) => v !== undefined),
    );
    const disagreements = declared ? disagreementsOf(declared, dates) : [];
    const { reportsUsage, ...facts } = this.facts;
    return {
      ...facts,
      ...(reportsUsage && !this.activeUsageUnknown ? { reportsUsage } : {}),
      activeCredentials: this.activeCount,
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
