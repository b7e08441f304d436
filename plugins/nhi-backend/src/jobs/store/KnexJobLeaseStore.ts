import type { Knex } from 'knex';
import type { JobLease, JobLeaseStore } from './JobLeaseStore';

const TABLE = 'nhi_job_leases';

const toLease = (row: any): JobLease => ({
  job: row.job,
  holder: row.holder,
  startedAt: row.started_at,
  expiresAt: Number(row.expires_at),
});

export class KnexJobLeaseStore implements JobLeaseStore {
  constructor(private readonly db: Knex) {}

  async takeLease(lease: JobLease, now: number): Promise<JobLease> {
    // One statement, so two replicas racing for a free or lapsed lease cannot both win: the
    // insert, or the takeover of a lapsed row, happens for one of them only.
    await this.db(TABLE)
      .insert({
        job: lease.job,
        holder: lease.holder,
        started_at: lease.startedAt,
        expires_at: lease.expiresAt,
      })
      .onConflict('job')
      .merge(['holder', 'started_at', 'expires_at'])
      .where(`${TABLE}.expires_at`, '<', now);
    return (await this.readLease(lease.job))!;
  }

  async renewLease(
    job: string,
    holder: string,
    expiresAt: number,
  ): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ job, holder })
      .update({ expires_at: expiresAt });
    return updated > 0;
  }

  async releaseLease(job: string, holder: string): Promise<void> {
    await this.db(TABLE).where({ job, holder }).delete();
  }

  async readLease(job: string): Promise<JobLease | undefined> {
    const row = await this.db(TABLE).where({ job }).first();
    return row ? toLease(row) : undefined;
  }
}
