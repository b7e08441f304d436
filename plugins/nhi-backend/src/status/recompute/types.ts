import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';

export interface RecomputeResult {
  identities: number;
  /** Identities whose inputs were as before and whose status still held: not recomputed. */
  skipped: number;
  statusChanges: number;
  findingsOpened: number;
  findingsClosed: number;
}

export const emptyResult = (): RecomputeResult => ({
  identities: 0,
  skipped: 0,
  statusChanges: 0,
  findingsOpened: 0,
  findingsClosed: 0,
});

/** Adds `more` into `total`, figure by figure. */
export function addResult(total: RecomputeResult, more: RecomputeResult) {
  for (const key of Object.keys(total) as Array<keyof RecomputeResult>) {
    total[key] += more[key];
  }
}

/** One identity's evaluation in a recompute. */
export interface Evaluation {
  inputs: string;
  validUntil: string;
  /** Undefined when the stored status still holds. */
  status?: IdentityStatus;
}
