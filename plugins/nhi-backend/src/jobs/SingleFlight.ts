import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import type { JobLeaseStore } from './store/JobLeaseStore';

const BUSY = Symbol('job already running');

/** The refusal `SingleFlight.run` throws when the job is already running (not any 409). */
export const isBusy = (error: unknown): error is ConflictError =>
  isError(error) && (error as any)[BUSY] === true;

export interface SingleFlightOptions {
  logger?: LoggerService;
  /** How long a lease lasts unless renewed: how long a crashed replica blocks the job. */
  leaseMs?: number;
  /** How often a running job renews its lease. */
  renewMs?: number;
}

/**
 * One run of a job at a time across every replica on the database, whoever started it: the
 * scheduler's cluster-wide tasks cover scheduled runs only, and the same jobs are also started
 * by routes ("Read now", "Recompute", "Run the sweep", an evidence download).
 *
 * A job holds a lease row for as long as it runs, renewed in the background; a second start
 * anywhere meanwhile is refused with a 409 that says since when the job has been running.
 */
export class SingleFlight {
  private readonly leaseMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly leases: JobLeaseStore,
    private readonly options: SingleFlightOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.renewMs = options.renewMs ?? Math.floor(this.leaseMs / 3);
  }

  /**
   * Runs `work` holding the lease of `job`; `what` names the job in the refusal.
   * @throws ConflictError when the job is running, on this replica or another
   */
  async run<T>(job: string, what: string, work: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    const now = Date.now();
    const held = await this.leases.takeLease(
      {
        job,
        holder,
        startedAt: new Date(now).toISOString(),
        expiresAt: now + this.leaseMs,
      },
      now,
    );
    if (held.holder !== holder) {
      throw Object.assign(
        new ConflictError(
          `${what} is already running, since ${held.startedAt}; try again when it has finished`,
        ),
        { [BUSY]: true },
      );
    }
    const renewal = setInterval(() => this.renew(job, holder), this.renewMs);
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.leases.releaseLease(job, holder).catch(error =>
        this.options.logger?.warn(`Could not release the lease of ${job}`, {
          error: String(error),
        }),
      );
    }
  }

  /**
   * A scheduled run: when the job is already running (a route started it, or another replica),
   * this run is skipped with a log line instead of failing; the job is being done.
   */
  async runUnlessRunning<T>(
    job: string,
    what: string,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.run(job, what, work);
    } catch (error) {
      if (!isBusy(error)) throw error;
      this.options.logger?.info(`Skipped: ${error.message}`);
      return undefined;
    }
  }

  private async renew(job: string, holder: string) {
    try {
      const kept = await this.leases.renewLease(
        job,
        holder,
        Date.now() + this.leaseMs,
      );
      if (!kept) {
        this.options.logger?.warn(
          `The lease of ${job} lapsed while it ran; another replica may start it`,
        );
      }
    } catch (error) {
      this.options.logger?.warn(`Could not renew the lease of ${job}`, {
        error: String(error),
      });
    }
  }
}
