import type { DateTime } from 'luxon';
import {
  Finding,
  FindingCode,
  FindingException,
  IdentityStatus,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import { daysBetween, parseDate } from './dates';

/** A finding as stored: what is particular to the identity, not the shared definition. */
export interface StoredFinding {
  code: FindingCode;
  /**
   * A module's finding (a code outside the built-in vocabulary) keeps its definition here, so
   * that it reads whole wherever the status goes, even where the registry is not at hand.
   */
  definition?: Pick<
    Finding,
    'severity' | 'title' | 'explanation' | 'remediation' | 'controls'
  >;
  evidence: Record<string, string | number | string[]>;
  openedAt: string;
  exception?: FindingException;
}

/**
 * A status as stored. Day counters (`ageDays`, `daysSinceUse`) are left out because they move
 * every day without anything having changed: they are derived from the stored dates when read,
 * so an unchanged identity is never rewritten. Titles, explanations and controls come from the
 * finding definitions when read, which keeps the row small.
 */
export interface StoredStatus {
  rotation: Omit<IdentityStatus['rotation'], 'ageDays'>;
  usage: Omit<IdentityStatus['usage'], 'daysSinceUse'>;
  review: IdentityStatus['review'];
  findings: StoredFinding[];
  risk: number;
}

/** A copy without the day counters and without undefined members. */
function withoutDayCounters<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) {
    if (k === 'ageDays' || k === 'daysSinceUse') continue;
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

const definitionOf = (f: Finding): StoredFinding['definition'] => ({
  severity: f.severity,
  title: f.title,
  explanation: f.explanation,
  remediation: f.remediation,
  controls: f.controls,
});

/** The stored form of a computed status; `openedAt` keeps the date each finding first opened. */
export function toStoredStatus(
  status: IdentityStatus,
  openedAt: (code: FindingCode) => string,
): StoredStatus {
  return {
    rotation: withoutDayCounters(status.rotation),
    usage: withoutDayCounters(status.usage),
    review: status.review,
    findings: status.findings.map(f => ({
      code: f.code,
      ...(builtInFindingDefinition(f.code)
        ? {}
        : { definition: definitionOf(f) }),
      evidence: withoutDayCounters(f.evidence),
      openedAt: openedAt(f.code),
      ...(f.exception ? { exception: f.exception } : {}),
    })),
    risk: status.risk,
  };
}

/** A built-in's definition from nhi-common, a module's from the stored finding. */
function definitionFor(
  f: StoredFinding,
): NonNullable<StoredFinding['definition']> {
  const d = builtInFindingDefinition(f.code);
  if (d) {
    return {
      severity: d.severity,
      title: d.title,
      explanation: d.why,
      remediation: d.remediation,
      controls: d.controls,
    };
  }
  // A code neither built in nor stored with its definition: shown by its code, not dropped.
  return (
    f.definition ?? {
      severity: 'medium',
      title: f.code,
      explanation: '',
      remediation: '',
      controls: { soc2: [], nistCsf: [], owaspNhi: [] },
    }
  );
}

const since = (date: string | number | string[] | undefined, now: DateTime) => {
  const d = typeof date === 'string' ? parseDate(date) : undefined;
  return d ? daysBetween(d, now) : undefined;
};

/**
 * A status is not recomputed for each newer use of an identity in active use (see
 * usageAsInput), so the day it was last used comes from the event facts when read.
 */
function usageWithLatestUse(
  usage: StoredStatus['usage'],
  lastUsedAt?: string | null,
): StoredStatus['usage'] {
  const day = lastUsedAt?.slice(0, 10);
  if (usage.status !== 'active' || !day || day <= (usage.lastUsedAt ?? ''))
    return usage;
  return { ...usage, lastUsedAt: day };
}

/** The full status as of `now`: definitions filled in and day counters derived from dates. */
export function fromStoredStatus(
  stored: StoredStatus,
  now: DateTime,
  /** The latest use on record now: newer than the stored status for an identity in use. */
  lastUsedAt?: string | null,
): IdentityStatus {
  const { rotation } = stored;
  const usage = usageWithLatestUse(stored.usage, lastUsedAt);
  const hasAge = rotation.lastRotatedAt && rotation.periodDays !== undefined;
  return {
    rotation: {
      ...rotation,
      ...(hasAge ? { ageDays: since(rotation.lastRotatedAt, now) } : {}),
    },
    usage: {
      ...usage,
      ...(usage.lastUsedAt
        ? { daysSinceUse: since(usage.lastUsedAt, now) }
        : {}),
    },
    review: stored.review,
    findings: stored.findings.map(f => {
      const d = definitionFor(f);
      const evidence = { ...f.evidence };
      if (f.code === 'rotation-overdue' && evidence.lastRotatedAt)
        evidence.ageDays = since(evidence.lastRotatedAt, now)!;
      if (f.code === 'dormant' && evidence.lastUsedAt)
        evidence.daysSinceUse = since(evidence.lastUsedAt, now)!;
      return {
        code: f.code,
        severity: d.severity,
        title: d.title,
        explanation: d.explanation,
        remediation: d.remediation,
        evidence,
        controls: d.controls,
        openedAt: f.openedAt,
        ...(f.exception ? { exception: f.exception } : {}),
      };
    }),
    risk: stored.risk,
  };
}
