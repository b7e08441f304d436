import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';

export interface RecomputeResult {
  identities: number;
  /** Identities whose inputs were as before and whose status still held: not recomputed. */
  skipped: number;
  statusChanges: number;
  findingsOpened: number;
  findingsClosed: number;
}

/** One identity's evaluation in a recompute. */
export interface Evaluation {
  inputs: string;
  validUntil: string;
  /** Undefined when the stored status still holds. */
  status?: IdentityStatus;
}
