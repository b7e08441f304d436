import {
  FINDING_DEFINITIONS,
  FindingCode,
  RollupDimension,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../engine/types';
import type { StoredStatus } from '../engine/storedStatus';

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

const ORPHANED: FindingCode[] = ['owner-missing', 'owner-orphaned'];
export const HIGH_RISK = 50;

/** Compliant: no open finding of medium severity or above. Low findings are advice. */
export const isCompliant = (status: Pick<StoredStatus, 'findings'>) =>
  status.findings.every(f => FINDING_DEFINITIONS[f.code].severity === 'low');

function metricsOf(status: StoredStatus): RollupMetrics {
  const codes = new Set(status.findings.map(f => f.code));
  return {
    identities: 1,
    compliant: isCompliant(status) ? 1 : 0,
    rotation_overdue: status.rotation.status === 'overdue' ? 1 : 0,
    expired: status.rotation.status === 'expired' ? 1 : 0,
    orphaned: ORPHANED.some(c => codes.has(c)) ? 1 : 0,
    dormant: ['dormant', 'never-used'].includes(status.usage.status) ? 1 : 0,
    unapproved: codes.has('unapproved') ? 1 : 0,
    high_risk: status.risk >= HIGH_RISK ? 1 : 0,
  };
}

/** The dimension values one identity counts under: one per dimension, one per finding. */
function keysOf(
  record: IdentityRecord,
  status: StoredStatus,
): Array<[RollupDimension, string]> {
  return [
    ['all', ''],
    ['owner', record.owner ?? ''],
    ['system', record.system ?? ''],
    ['type', record.type],
    ['environment', record.environment ?? ''],
    ...[...new Set(status.findings.map(f => f.code))].map(
      code => ['finding', code] as [RollupDimension, string],
    ),
  ];
}

/**
 * Sums identities into rollup rows. A full recompute adds every identity; an event-driven one
 * subtracts each changed identity's old status and adds its new one, so the stored rollups
 * move by the difference.
 */
export class RollupAccumulator {
  private readonly rows = new Map<string, RollupRowWrite>();

  add(record: IdentityRecord, status: StoredStatus, sign: 1 | -1 = 1) {
    const metrics = metricsOf(status);
    for (const [dimension, key] of keysOf(record, status)) {
      const id = `${dimension}\u0000${key}`;
      let row = this.rows.get(id);
      if (!row) {
        row = { dimension, key, ...ZERO };
        this.rows.set(id, row);
      }
      for (const m of METRIC_NAMES) row[m] += sign * metrics[m];
    }
  }

  /** The rows, leaving out those a difference left all zero. */
  result(): RollupRowWrite[] {
    return [...this.rows.values()].filter(r =>
      METRIC_NAMES.some(m => r[m] !== 0),
    );
  }
}
