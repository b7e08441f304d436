import type { DateTime } from 'luxon';
import type {
  FindingCode,
  IdentitySourceFacts,
} from '@nhi-governance/plugin-nhi-common';
import { daysBetween, isoDay, parseDate } from './dates';
// The evaluator type comes from the extension API, not findings.ts, which imports these rules.
import type { FindingEvaluator as Rule } from '@nhi-governance/plugin-nhi-node';
import type { IdentityFacts } from './types';

/** The source the CIS AWS Foundations checks read: the IAM credential report. */
export const CREDENTIAL_REPORT = 'aws-credential-report';

/**
 * The benchmark's own thresholds (CIS AWS Foundations Benchmark v3.0), fixed whatever the
 * policy says, so that the findings can be compared with Prowler's checks of the same ids.
 * See docs/cis-aws-prowler.md.
 */
export const CIS_AWS = {
  /** 1.12: unused for 45 days or more. */
  unusedDays: 45,
  /** 1.14: rotated every 90 days or less; older than 90 whole days fails. */
  rotationDays: 90,
  /** 1.7, as Prowler's iam_avoid_root_usage: used 1 whole day ago or less. */
  rootUseDays: 1,
} as const;

const cis = (id: string) => `CIS AWS Foundations ${id}`;

type Credential = NonNullable<IdentitySourceFacts['credentials']>[number];

const listing = (facts: IdentityFacts) =>
  facts.sources.filter(s => s.listed && s.credentials?.length);

/**
 * How many credentials the source lists as active: its count over all of them, since
 * `credentials` keeps only a few; facts stored before the count existed have the list only.
 */
const activeCount = (s: IdentitySourceFacts) =>
  s.activeCredentials ?? s.credentials!.filter(c => c.active).length;

/**
 * True when every source that lists the identity says none of its credentials works (AWS
 * keys made inactive, GCP keys disabled): it cannot authenticate, so it is neither overdue
 * nor dormant nor never used; it is at most kept for no reason (inactive-key).
 */
export function inactiveAtSource(facts: IdentityFacts): boolean {
  const sources = listing(facts);
  return sources.length > 0 && sources.every(s => activeCount(s) === 0);
}

/** The active access keys the credential report lists for the identity. */
const activeReportKeys = (facts: IdentityFacts): Credential[] =>
  facts.sources
    .filter(s => s.listed && s.format === CREDENTIAL_REPORT)
    .flatMap(s => s.credentials ?? [])
    .filter(c => c.kind === 'access-key' && c.active);

/** From when a key counts as unused: its last use, or its creation if never used; unknown else. */
const unusedSince = (key: Credential) =>
  key.usageUnknown ? undefined : parseDate(key.lastUsedAt ?? key.createdAt);

/** What a source proves of the identity's principal, by code, from the latest read. */
const proven = (facts: IdentityFacts, code: string) =>
  facts.sources
    .filter(s => s.listed)
    .flatMap(s => (s.findings ?? []).filter(f => f.code === code));

const rootUses = (facts: IdentityFacts) =>
  proven(facts, 'root-account-used').flatMap(f => {
    const at = parseDate(f.observedAt);
    return at ? [{ at, detail: f.detail }] : [];
  });

/** The CIS AWS Foundations key checks, computed from the credential report. */
export const CIS_AWS_RULES: Partial<Record<FindingCode, Rule>> = {
  'access-key-unused': ({ facts, now }) => {
    const unused = activeReportKeys(facts).flatMap(key => {
      const since = unusedSince(key);
      const days = since ? daysBetween(since, now) : undefined;
      return days !== undefined && days >= CIS_AWS.unusedDays
        ? [
            `${key.externalId}: ${
              key.lastUsedAt
                ? `last used ${isoDay(since!)}`
                : `never used, created ${isoDay(since!)}`
            } (${days} days)`,
          ]
        : [];
    });
    return unused.length
      ? { cis: cis('1.12'), keys: unused, thresholdDays: CIS_AWS.unusedDays }
      : undefined;
  },

  'multiple-active-keys': ({ facts }) => {
    const found = proven(facts, 'multiple-active-keys');
    return found.length
      ? { cis: cis('1.13'), detail: found.map(f => f.detail) }
      : undefined;
  },

  'access-key-not-rotated': ({ facts, now }) => {
    const old = activeReportKeys(facts).flatMap(key => {
      const rotated = parseDate(key.lastRotatedAt);
      const days = rotated ? daysBetween(rotated, now) : undefined;
      return days !== undefined && days > CIS_AWS.rotationDays
        ? [`${key.externalId}: created ${isoDay(rotated!)} (${days} days)`]
        : [];
    });
    return old.length
      ? { cis: cis('1.14'), keys: old, maxDays: CIS_AWS.rotationDays }
      : undefined;
  },

  'root-account-used': ({ facts, now }) => {
    const recent = rootUses(facts).filter(
      u => daysBetween(u.at, now) <= CIS_AWS.rootUseDays,
    );
    return recent.length
      ? {
          cis: cis('1.7'),
          lastUsedAt: recent
            .map(u => u.at.toUTC().toISO()!)
            .sort()
            .pop()!,
          detail: recent.map(u => u.detail),
        }
      : undefined;
  },

  'inactive-key': ({ facts }) => {
    const inactive = listing(facts)
      .flatMap(s => s.credentials!)
      .filter(c => !c.active)
      .map(c => c.externalId);
    return inactive.length ? { credentials: inactive } : undefined;
  },
};

/** When the clock alone turns a CIS check on or off, for nextChangeAt. */
export function cisChangeTimes(facts: IdentityFacts): DateTime[] {
  const times: DateTime[] = [];
  for (const key of activeReportKeys(facts)) {
    const since = unusedSince(key);
    if (since) times.push(since.plus({ days: CIS_AWS.unusedDays }));
    const rotated = parseDate(key.lastRotatedAt);
    // Older than 90 whole days: from the 91st day on.
    if (rotated) times.push(rotated.plus({ days: CIS_AWS.rotationDays + 1 }));
  }
  for (const { at } of rootUses(facts)) {
    times.push(at, at.plus({ days: CIS_AWS.rootUseDays + 1 }));
  }
  return times;
}
