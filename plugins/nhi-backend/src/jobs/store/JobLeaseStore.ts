/** A running job's lease: who holds it and since when. */
export interface JobLease {
  job: string;
  holder: string;
  startedAt: string;
  expiresAt: number;
}

/** The leases of running jobs, shared by every replica on the database. */
export interface JobLeaseStore {
  /**
   * Takes the lease of `job` for `holder` unless another holder's lease is still in force
   * (its `expiresAt` after `now`). Answers the lease in force afterwards: `holder`'s when taken.
   */
  takeLease(lease: JobLease, now: number): Promise<JobLease>;
  /** Moves the lease's end on; false when `holder` no longer holds it. */
  renewLease(job: string, holder: string, expiresAt: number): Promise<boolean>;
  /** Gives the lease back, if `holder` still holds it. */
  releaseLease(job: string, holder: string): Promise<void>;
  readLease(job: string): Promise<JobLease | undefined>;
}
