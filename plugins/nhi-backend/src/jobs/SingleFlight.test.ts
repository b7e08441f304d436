import type { Knex } from 'knex';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { KnexJobLeaseStore } from './store/KnexJobLeaseStore';
import { SingleFlight, isBusy } from './SingleFlight';

jest.setTimeout(60_000);

/** A job that runs until told to finish. */
function heldJob() {
  let finish!: () => void;
  const done = new Promise<void>(resolve => {
    finish = resolve;
  });
  return { work: () => done.then(() => 'finished'), finish };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('SingleFlight', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    // Two replicas: each its own SingleFlight over the one database.
    let a: SingleFlight;
    let b: SingleFlight;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await knex('nhi_job_leases').delete();
      a = new SingleFlight(new KnexJobLeaseStore(knex), { leaseMs: 300 });
      b = new SingleFlight(new KnexJobLeaseStore(knex), { leaseMs: 300 });
    });

    it('refuses a job on one replica while it runs on another, and runs it once it has finished', async () => {
      const job = heldJob();
      const first = a.run('discovery:aws', 'A read of aws', job.work);
      await sleep(20);
      const refusal = await b
        .run('discovery:aws', 'A read of aws', async () => 'ran twice')
        .catch(e => e);
      expect(isBusy(refusal)).toBe(true);
      expect(refusal.name).toBe('ConflictError');
      expect(refusal.message).toMatch(
        /^A read of aws is already running, since \d{4}-\d\d-\d\dT/,
      );
      // Other jobs are not held up.
      await expect(
        b.run('evidence-export', 'x', async () => 'ok'),
      ).resolves.toBe('ok');
      job.finish();
      await expect(first).resolves.toBe('finished');
      await expect(b.run('discovery:aws', 'x', async () => 'ok')).resolves.toBe(
        'ok',
      );
      expect(
        Number((await knex('nhi_job_leases').count({ n: '*' }))[0].n),
      ).toBe(0);
    });

    it('lets exactly one of many simultaneous starts run', async () => {
      let runs = 0;
      const starts = Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b)
          .run('refresh', 'A refresh', async () => {
            runs++;
            await sleep(100);
          })
          .then(
            () => 'ran',
            e => (isBusy(e) ? 'refused' : e),
          ),
      );
      const outcomes = await Promise.all(starts);
      expect(runs).toBe(1);
      expect(outcomes.filter(o => o === 'ran')).toHaveLength(1);
      expect(outcomes.filter(o => o === 'refused')).toHaveLength(9);
    });

    it('keeps the lease of a long job by renewing it, and frees the lease of a replica that died', async () => {
      const job = heldJob();
      const long = a.run('evidence-export', 'An export', job.work);
      // Longer than the lease: renewals keep it.
      await sleep(700);
      await expect(
        b.run('evidence-export', 'An export', async () => 'twice'),
      ).rejects.toThrow('already running');
      job.finish();
      await long;

      // A replica that died holding a lease: it is not renewed, and lapses.
      await knex('nhi_job_leases').insert({
        job: 'review-sweep',
        holder: 'a dead replica',
        started_at: new Date().toISOString(),
        expires_at: Date.now() + 200,
      });
      await expect(
        b.run('review-sweep', 'A sweep', async () => 1),
      ).rejects.toThrow('already running');
      await sleep(300);
      await expect(
        b.run('review-sweep', 'A sweep', async () => 1),
      ).resolves.toBe(1);
    });

    it('skips a scheduled run while the job runs, but not other failures', async () => {
      const job = heldJob();
      const first = a.run('refresh', 'A refresh', job.work);
      await sleep(20);
      await expect(
        b.runUnlessRunning('refresh', 'A refresh', async () => 'ran'),
      ).resolves.toBeUndefined();
      job.finish();
      await first;
      await expect(
        b.runUnlessRunning('refresh', 'A refresh', async () => {
          throw new Error('the catalog is down');
        }),
      ).rejects.toThrow('the catalog is down');
    });
  });
});
