import { DateTime } from 'luxon';
import { DEFAULT_POLICY } from '../policy/Policy';
import { computeStatus } from './computeStatus';
import { nextChangeAt } from './nextChange';
import { toStoredStatus } from './storedStatus';
import type { IdentityFacts, IdentityRecord } from './types';

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });

/** A deterministic spread of identities: every rotation, expiry and usage situation. */
function* population(): Generator<[IdentityRecord, IdentityFacts]> {
  const day = (offset: number) => NOW.plus({ days: offset }).toISODate()!;
  let n = 0;
  for (const created of [-900, -400, -120, -40, -10])
    for (const rotated of [undefined, -200, -85, -70, -5])
      for (const expires of [undefined, -3, 5, 20, 400, 800])
        for (const used of [undefined, -120, -85, -2])
          for (const rotation of ['manual', 'none'] as const) {
            n++;
            yield [
              {
                ref: `machineidentity:default/p-${n}`,
                type: n % 7 === 0 ? 'certificate' : 'api-key',
                owner: 'group:default/payments',
                usedBy: [],
                scopes: [],
                credential: {
                  rotation,
                  createdAt: day(created),
                  ...(rotated !== undefined && rotated > created
                    ? { lastRotatedAt: day(rotated) }
                    : {}),
                  ...(expires !== undefined ? { expiresAt: day(expires) } : {}),
                },
              },
              {
                ownerExists: true,
                usedByStates: {},
                credentialEnvironments: [],
                usage: {
                  lastUsedAt: used === undefined ? undefined : day(used),
                  providerMonitored: n % 3 !== 0,
                },
                interactiveLogins: { count: 0 },
                authFailures: { lastDay: 0, dailyAverage: 0 },
                governance: {},
                sources: [],
              },
            ];
          }
}

const stored = (identity: IdentityRecord, facts: IdentityFacts, at: DateTime) =>
  JSON.stringify(
    toStoredStatus(
      computeStatus(identity, facts, DEFAULT_POLICY, at),
      () => 'x',
    ),
  );

describe('nextChangeAt', () => {
  it('is never later than the first moment the status changes with time', () => {
    let checked = 0;
    let exact = 0;
    for (const [identity, facts] of population()) {
      const now = stored(identity, facts, NOW);
      const next = nextChangeAt(identity, facts, DEFAULT_POLICY, NOW);
      // Just after each midnight up to the answer (dates are days), and a minute before it:
      // nothing may have changed.
      const until = next ?? NOW.plus({ days: 200 });
      const times = [];
      for (
        let t = NOW.startOf('day').plus({ days: 1, seconds: 1 });
        t < until;
        t = t.plus({ days: 1 })
      ) {
        times.push(t);
      }
      if (next) times.push(next.minus({ minutes: 1 }));
      for (const t of times) {
        if (t <= NOW) continue;
        expect([identity.ref, t.toISO(), stored(identity, facts, t)]).toEqual([
          identity.ref,
          t.toISO(),
          now,
        ]);
        checked++;
      }
      // …and the answer is a real change point, not merely a bound, in most cases.
      if (next && stored(identity, facts, next.plus({ minutes: 1 })) !== now) {
        exact++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(exact).toBeGreaterThan(500);
  });

  it('answers the due date of a credential that is otherwise settled', () => {
    const [identity, facts] = population().next().value!;
    identity.credential = { createdAt: '2026-11-01', rotation: 'manual' };
    facts.usage = { lastUsedAt: '2026-11-28', providerMonitored: true };
    // Due 2027-01-30 (90 days); due-soon from 2027-01-16 (14 days before).
    expect(
      nextChangeAt(identity, facts, DEFAULT_POLICY, NOW)?.toISODate(),
    ).toBe('2027-01-16');
  });
});
