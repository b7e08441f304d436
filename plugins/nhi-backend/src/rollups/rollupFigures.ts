import {
  RollupDimension,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../engine/types';
import type { StoredStatus } from '../engine/storedStatus';
import { openFindings } from '../engine/review';

/** The counts kept per dimension value, as stored. */
export interface RollupMetrics {
  identities: number;
  compliant: number;
  rotation_overdue: number;
  expired: number;
  orphaned: number;
  dormant: number;
  unapproved: number;
  high_risk: number;
}

export interface RollupRowWrite extends RollupMetrics {
  dimension: RollupDimension;
  key: string;
}

const ZERO: RollupMetrics = {
  identities: 0,
  compliant: 0,
  rotation_overdue: 0,
  expired: 0,
  orphaned: 0,
  dormant: 0,
  unapproved: 0,
  high_risk: 0,
};
const METRIC_NAMES = Object.keys(ZERO) as Array<keyof RollupMetrics>;

const ORPHANED = new Set<string>(['owner-missing', 'owner-orphaned']);
export const HIGH_RISK = 50;

/** Compliant: no open finding of medium severity or above. Low findings are advice. */
const compliantCodes = (codes: string[]) =>
  codes.every(c => builtInFindingDefinition(c)?.severity === 'low');

/** The codes of the findings that count: those no exception covers. */
export const openCodes = (status: Pick<StoredStatus, 'findings'>) =>
  openFindings(status.findings).map(f => f.code);

export const isCompliant = (status: Pick<StoredStatus, 'findings'>) =>
  compliantCodes(openCodes(status));

/** What the rollups need of one identity: where it counts, and its status in brief. */
export interface RollupSubject {
  owner?: string;
  system?: string;
  type: string;
  environment?: string;
  rotation: string;
  usage: string;
  risk: number;
  /** Open finding codes. */
  codes: string[];
}

export const rollupSubject = (
  record: Pick<IdentityRecord, 'owner' | 'system' | 'type' | 'environment'>,
  status: StoredStatus,
): RollupSubject => ({
  owner: record.owner,
  system: record.system,
  type: record.type,
  environment: record.environment,
  rotation: status.rotation.status,
  usage: status.usage.status,
  risk: status.risk,
  codes: openCodes(status),
});

function metricsOf(s: RollupSubject): RollupMetrics {
  const codes = new Set(s.codes);
  return {
    identities: 1,
    compliant: compliantCodes(s.codes) ? 1 : 0,
    rotation_overdue: s.rotation === 'overdue' ? 1 : 0,
    expired: s.rotation === 'expired' ? 1 : 0,
    orphaned: s.codes.some(c => ORPHANED.has(c)) ? 1 : 0,
    dormant: s.usage === 'dormant' || s.usage === 'never-used' ? 1 : 0,
    unapproved: codes.has('unapproved') ? 1 : 0,
    high_risk: s.risk >= HIGH_RISK ? 1 : 0,
  };
}

/** The dimension values one identity counts under: one per dimension, one per finding. */
function keysOf(s: RollupSubject): Array<[RollupDimension, string]> {
  return [
    ['all', ''],
    ['owner', s.owner ?? ''],
    ['system', s.system ?? ''],
    ['type', s.type],
    ['environment', s.environment ?? ''],
    ...[...new Set(s.codes)].map(
      code => ['finding', code] as [RollupDimension, string],
    ),
  ];
}

/** Two subjects with one profile count alike in every rollup. */
export const profileOf = (subject: RollupSubject) =>
  `${subject.owner}\u0000${subject.system}\u0000${subject.type}\u0000${
    subject.environment
  }\u0000${subject.rotation}\u0000${subject.usage}\u0000${
    subject.risk >= HIGH_RISK
  }\u0000${subject.codes.join(',')}`;

/**
 * Sums identities into rollup rows. A full recompute adds every identity; an event-driven one
 * subtracts each changed identity's old status and adds its new one, so the stored rollups
 * move by the difference. Identities alike in every respect the rollups look at are counted
 * together first: a population has far fewer such profiles than identities.
 */
export class RollupAccumulator {
  private readonly profiles = new Map<
    string,
    { subject: RollupSubject; count: number }
  >();

  add(subject: RollupSubject, sign: 1 | -1 = 1) {
    const key = profileOf(subject);
    const profile = this.profiles.get(key);
    if (profile) profile.count += sign;
    else this.profiles.set(key, { subject, count: sign });
  }

  /** Adds what another accumulator gathered (a page's, once its transaction committed). */
  merge(other: RollupAccumulator) {
    for (const [key, { subject, count }] of other.profiles) {
      const profile = this.profiles.get(key);
      if (profile) profile.count += count;
      else this.profiles.set(key, { subject, count });
    }
  }

  /** The rows, leaving out those a difference left all zero. */
  result(): RollupRowWrite[] {
    const rows = new Map<string, RollupRowWrite>();
    for (const { subject, count } of this.profiles.values()) {
      if (count === 0) continue;
      const metrics = metricsOf(subject);
      for (const [dimension, key] of keysOf(subject)) {
        const id = `${dimension}\u0000${key}`;
        let row = rows.get(id);
        if (!row) {
          row = { dimension, key, ...ZERO };
          rows.set(id, row);
        }
        for (const m of METRIC_NAMES) row[m] += count * metrics[m];
      }
    }
    // In key order, so that concurrent writers lock rollup rows in the same order.
    return [...rows.entries()]
      .filter(([, r]) => METRIC_NAMES.some(m => r[m] !== 0))
      .sort(([a], [b]) => a.localeCompare(b, 'en-US'))
      .map(([, r]) => r);
  }
}
