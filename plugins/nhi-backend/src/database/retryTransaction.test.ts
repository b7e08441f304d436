import { TRANSACTION_ATTEMPTS, retryTransaction } from './retryTransaction';

const aborted = (code: string) =>
  Object.assign(new Error('deadlock detected'), { code });

const recordingLogger = (lines: string[]) =>
  ({ warn: (m: string) => lines.push(m) } as any);

describe('retryTransaction', () => {
  it('runs a transaction the database aborted as a deadlock or serialisation failure again, logging each attempt', async () => {
    const lines: string[] = [];
    const failures = [aborted('40P01'), aborted('40001')];
    let calls = 0;
    const result = await retryTransaction(async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'committed';
    }, recordingLogger(lines));
    expect(result).toBe('committed');
    expect(calls).toBe(3);
    expect(lines).toEqual([
      expect.stringMatching(
        /^Transaction aborted by the database \(40P01: deadlock detected\); attempt 1 of 4, retrying in \d+ ms$/,
      ),
      expect.stringMatching(/\(40001: .*attempt 2 of 4/),
    ]);
  });

  it('gives up after a bounded number of attempts, with the database error', async () => {
    let calls = 0;
    await expect(
      retryTransaction(async () => {
        calls++;
        throw aborted('40P01');
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(calls).toBe(TRANSACTION_ATTEMPTS);
  });

  it('never repeats a transaction that failed for any other reason', async () => {
    let calls = 0;
    await expect(
      retryTransaction(async () => {
        calls++;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate key');
    expect(calls).toBe(1);
  });
});
