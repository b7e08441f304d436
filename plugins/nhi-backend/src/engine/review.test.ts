import { DateTime, Duration } from 'luxon';
import {
  FINDING_DEFINITIONS,
  Finding,
  ReviewStatus,
  BuiltInFindingCode,
} from '@nhi-governance/plugin-nhi-common';
import { DEFAULT_POLICY, Policy } from '../policy/Policy';
import { computeStatus } from './computeStatus';
import {
  applyExceptions,
  computeReview,
  openFindings,
  reviewChangeTimes,
} from './review';
import type { GovernanceFacts, IdentityFacts, IdentityRecord } from './types';
import { healthy } from '../__testUtils__/fixtures';

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const ms = Duration.fromMillis(1);

const reviewAt = (
  governance: GovernanceFacts,
  now: DateTime = NOW,
  policy: Policy = DEFAULT_POLICY,
) => computeReview(governance, policy, now);

function finding(code: BuiltInFindingCode): Finding {
  const d = FINDING_DEFINITIONS[code];
  return {
    code,
    severity: d.severity,
    title: d.title,
    explanation: d.why,
    remediation: d.remediation,
    evidence: {},
    controls: d.controls,
  };
}

type Exception = NonNullable<GovernanceFacts['exceptions']>[number];
const exception = (extra: Partial<Exception> = {}): Exception => ({
  id: 'ex-1',
  finding: 'overprivileged',
  expiresAt: '2027-01-15T00:00:00.000Z',
  approvedBy: 'user:default/security-lead',
  ...extra,
});

describe('computeReview', () => {
  it('is never-reviewed when there is no review and no campaign waiting', () => {
    expect(reviewAt({})).toBe('never-reviewed');
  });

  it('is due when an item of an open campaign waits with a due date ahead', () => {
    expect(reviewAt({ reviewDueAt: '2026-12-15' })).toBe('due');
  });

  it('is overdue once the pending item is past its due date', () => {
    expect(reviewAt({ reviewDueAt: '2026-11-20' })).toBe('overdue');
    // …and from the very moment it is due.
    const dueAt = '2026-12-15T00:00:00.000Z';
    expect(reviewAt({ reviewDueAt: dueAt }, utc(dueAt).minus(ms))).toBe('due');
    expect(reviewAt({ reviewDueAt: dueAt }, utc(dueAt))).toBe('overdue');
  });

  it('is overdue for a past-due campaign item even after a recent review', () => {
    expect(
      reviewAt({ lastReviewedAt: '2026-11-01', reviewDueAt: '2026-11-20' }),
    ).toBe('overdue');
  });

  it('is current after a recent review', () => {
    expect(reviewAt({ lastReviewedAt: '2026-11-01' })).toBe('current');
  });

  it('is due after a recent review when a new campaign waits for it', () => {
    expect(
      reviewAt({ lastReviewedAt: '2026-11-01', reviewDueAt: '2026-12-20' }),
    ).toBe('due');
  });

  it('becomes due exactly dueSoonWindow before lastReviewedAt + reviewCadence, then overdue', () => {
    const lastReviewedAt = '2026-09-01T00:00:00.000Z';
    const cadenceEnd = utc(lastReviewedAt).plus(DEFAULT_POLICY.reviewCadence);
    const dueSoon = cadenceEnd.minus(DEFAULT_POLICY.dueSoonWindow);
    // P3M after 1 September is 1 December; 14 days before is 17 November.
    expect(cadenceEnd.toISODate()).toBe('2026-12-01');
    expect(dueSoon.toISODate()).toBe('2026-11-17');

    const at = (now: DateTime) => reviewAt({ lastReviewedAt }, now);
    expect(at(dueSoon.minus(ms))).toBe('current');
    expect(at(dueSoon)).toBe('due');
    expect(at(cadenceEnd.minus(ms))).toBe('due');
    expect(at(cadenceEnd)).toBe('overdue');
  });

  it('is overdue when the last review is older than the cadence', () => {
    expect(reviewAt({ lastReviewedAt: '2026-07-01' })).toBe('overdue');
  });

  it("follows the policy's cadence and due-soon window", () => {
    // Reviewed 2026-09-20: the default cadence ends 2026-12-20, 21 days away.
    const governance = { lastReviewedAt: '2026-09-20' };
    expect(reviewAt(governance)).toBe('current');
    expect(
      reviewAt(governance, NOW, {
        ...DEFAULT_POLICY,
        dueSoonWindow: Duration.fromISO('P30D'),
      }),
    ).toBe('due');
    expect(
      reviewAt(governance, NOW, {
        ...DEFAULT_POLICY,
        reviewCadence: Duration.fromISO('P2M'),
      }),
    ).toBe('overdue');
    expect(
      reviewAt({ lastReviewedAt: '2026-07-01' }, NOW, {
        ...DEFAULT_POLICY,
        reviewCadence: Duration.fromISO('P1Y'),
      }),
    ).toBe('current');
  });
});

describe('reviewChangeTimes', () => {
  const times = (governance: GovernanceFacts, policy = DEFAULT_POLICY) =>
    reviewChangeTimes(governance, policy)
      .filter((t): t is DateTime => t !== undefined)
      .map(t => t.toUTC().toISO())
      .sort();

  it('lists nothing for an identity nobody has reviewed or asked to review', () => {
    expect(times({})).toEqual([]);
  });

  it('includes every date that could change the answer', () => {
    const governance: GovernanceFacts = {
      lastReviewedAt: '2026-09-01',
      reviewDueAt: '2026-12-10',
      exceptions: [
        exception({ id: 'ex-1', expiresAt: '2027-01-15T00:00:00.000Z' }),
        exception({
          id: 'ex-2',
          finding: 'long-lived',
          expiresAt: '2027-03-01T00:00:00.000Z',
        }),
      ],
      remediations: [
        { id: 'r1', kind: 'revoke', dueAt: '2026-12-20' },
        { id: 'r2', kind: 'reduce-scope', dueAt: '2027-02-02' },
      ],
    };
    expect(times(governance)).toEqual([
      '2026-11-17T00:00:00.000Z', // cadence end minus the due-soon window
      '2026-12-01T00:00:00.000Z', // cadence end: lastReviewedAt + P3M
      '2026-12-10T00:00:00.000Z', // reviewDueAt
      '2026-12-20T00:00:00.000Z', // remediation r1 due
      '2027-01-15T00:00:00.000Z', // exception ex-1 expires
      '2027-02-02T00:00:00.000Z', // remediation r2 due
      '2027-03-01T00:00:00.000Z', // exception ex-2 expires
    ]);
  });

  it("uses the policy's cadence and window", () => {
    expect(
      times(
        { lastReviewedAt: '2026-09-01' },
        {
          ...DEFAULT_POLICY,
          reviewCadence: Duration.fromISO('P1M'),
          dueSoonWindow: Duration.fromISO('P7D'),
        },
      ),
    ).toEqual(['2026-09-24T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
  });

  it.each<[string, GovernanceFacts]>([
    ['a review only', { lastReviewedAt: '2026-09-01T06:00:00Z' }],
    ['a pending item only', { reviewDueAt: '2026-12-10T18:00:00Z' }],
    [
      'a review and a pending item',
      { lastReviewedAt: '2026-09-20', reviewDueAt: '2026-12-31' },
    ],
  ])(
    'lists a time between any two moments at which computeReview differs (%s)',
    (_case, governance) => {
      const listed = reviewChangeTimes(governance, DEFAULT_POLICY).filter(
        (t): t is DateTime => t !== undefined,
      );
      // Sample every 3 hours over 8 months; note each step across which the answer changed.
      const samples: Array<{ at: DateTime; status: ReviewStatus }> = [];
      for (
        let at = NOW.minus({ months: 4 });
        at < NOW.plus({ months: 4 });
        at = at.plus({ hours: 3 })
      ) {
        samples.push({ at, status: reviewAt(governance, at) });
      }
      const changes = samples
        .slice(1)
        .map((sample, i) => ({ from: samples[i], to: sample }))
        .filter(({ from, to }) => from.status !== to.status);
      expect(changes.length).toBeGreaterThan(0);
      const unexplained = changes.filter(
        ({ from, to }) => !listed.some(t => t > from.at && t <= to.at),
      );
      expect(unexplained).toEqual([]);
    },
  );
});

describe('applyExceptions', () => {
  it('marks the finding an unexpired exception for the same code covers', () => {
    const overprivileged = finding('overprivileged');
    const rotation = finding('rotation-overdue');
    const result = applyExceptions(
      [rotation, overprivileged],
      { exceptions: [exception()] },
      NOW,
    );
    expect(result.map(f => f.code)).toEqual([
      'rotation-overdue',
      'overprivileged',
    ]);
    expect(result[1]).toEqual({
      ...overprivileged,
      exception: {
        id: 'ex-1',
        expiresAt: '2027-01-15T00:00:00.000Z',
        approvedBy: 'user:default/security-lead',
      },
    });
    // Other findings are untouched.
    expect(result[0]).toEqual(rotation);
    expect(result[0].exception).toBeUndefined();
    // The caller's findings are not changed.
    expect(overprivileged.exception).toBeUndefined();
  });

  it('does not apply an exception for another finding code', () => {
    const result = applyExceptions(
      [finding('overprivileged')],
      { exceptions: [exception({ finding: 'long-lived' })] },
      NOW,
    );
    expect(result[0].exception).toBeUndefined();
  });

  it('does not apply an expired exception', () => {
    const result = applyExceptions(
      [finding('overprivileged')],
      { exceptions: [exception({ expiresAt: '2026-11-28T00:00:00.000Z' })] },
      NOW,
    );
    expect(result[0].exception).toBeUndefined();
  });

  it('covers until the moment of expiry and not from then on', () => {
    const expiresAt = '2026-12-31T00:00:00.000Z';
    const at = (now: DateTime) =>
      applyExceptions(
        [finding('overprivileged')],
        { exceptions: [exception({ expiresAt })] },
        now,
      )[0].exception;
    expect(at(utc(expiresAt).minus(ms))).toMatchObject({ expiresAt });
    expect(at(utc(expiresAt))).toBeUndefined();
  });

  it.each([
    ['later one listed second', false],
    ['later one listed first', true],
  ])(
    'chooses the later-expiring of two covering exceptions (%s)',
    (_case, reverse) => {
      const exceptions = [
        exception({ id: 'sooner', expiresAt: '2027-01-15T00:00:00.000Z' }),
        exception({ id: 'later', expiresAt: '2027-06-30T00:00:00.000Z' }),
      ];
      if (reverse) exceptions.reverse();
      const [result] = applyExceptions(
        [finding('overprivileged')],
        { exceptions },
        NOW,
      );
      expect(result.exception).toEqual({
        id: 'later',
        expiresAt: '2027-06-30T00:00:00.000Z',
        approvedBy: 'user:default/security-lead',
      });
    },
  );

  it('skips an expired exception in favour of a live one', () => {
    const [result] = applyExceptions(
      [finding('overprivileged')],
      {
        exceptions: [
          exception({ id: 'live', expiresAt: '2026-12-15T00:00:00.000Z' }),
          exception({ id: 'expired', expiresAt: '2026-11-01T00:00:00.000Z' }),
        ],
      },
      NOW,
    );
    expect(result.exception?.id).toBe('live');
  });

  it('leaves findings alone when there are no exceptions', () => {
    const findings = [finding('overprivileged'), finding('long-lived')];
    expect(applyExceptions(findings, {}, NOW)).toEqual(findings);
    expect(applyExceptions(findings, { exceptions: [] }, NOW)).toEqual(
      findings,
    );
  });
});

describe('openFindings', () => {
  it('keeps only the findings no exception covers, in order', () => {
    const findings = applyExceptions(
      [
        finding('rotation-overdue'),
        finding('overprivileged'),
        finding('unapproved'),
      ],
      { exceptions: [exception()] },
      NOW,
    );
    expect(openFindings(findings).map(f => f.code)).toEqual([
      'rotation-overdue',
      'unapproved',
    ]);
  });

  it('keeps everything when nothing is excepted, and nothing when all are', () => {
    const all = [finding('overprivileged'), finding('long-lived')];
    expect(openFindings(all)).toEqual(all);
    expect(
      openFindings(
        applyExceptions(
          all,
          {
            exceptions: [
              exception({ id: 'a' }),
              exception({ id: 'b', finding: 'long-lived' }),
            ],
          },
          NOW,
        ),
      ),
    ).toEqual([]);
  });
});

describe('computeStatus with an exception', () => {
  /** A healthy production service account with admin privilege: only `overprivileged`. */
  function adminIdentity(governance: GovernanceFacts): {
    identity: IdentityRecord;
    facts: IdentityFacts;
  } {
    const { identity, facts } = healthy();
    return {
      identity: {
        ...identity,
        ref: 'machineidentity:default/payments-db-admin',
        externalId: 'arn:aws:iam::123456789012:user/payments-db-admin',
        purpose: 'Schema migrations',
        scopes: ['rds:payments:admin'],
        privilege: 'admin',
      },
      facts: { ...facts, governance },
    };
  }
  const statusAt = (governance: GovernanceFacts, now: DateTime) => {
    const { identity, facts } = adminIdentity(governance);
    return computeStatus(identity, facts, DEFAULT_POLICY, now);
  };
  const expiresAt = '2026-12-31T00:00:00.000Z';
  const excepted: GovernanceFacts = { exceptions: [exception({ expiresAt })] };

  it('lists an excepted overprivileged finding with its exception but does not count it in risk', () => {
    const without = statusAt({}, NOW);
    expect(without.findings.map(f => f.code)).toEqual(['overprivileged']);
    // high (20) × 1.5 production × 1.5 admin
    expect(without.risk).toBe(45);

    const withException = statusAt(excepted, NOW);
    expect(withException.findings).toEqual([
      {
        ...without.findings[0],
        exception: {
          id: 'ex-1',
          expiresAt,
          approvedBy: 'user:default/security-lead',
        },
      },
    ]);
    expect(withException.risk).toBe(0);
  });

  it('still counts the findings the exception does not cover', () => {
    const { identity, facts } = adminIdentity(excepted);
    identity.approval = undefined;
    const unapproved = computeStatus(identity, facts, DEFAULT_POLICY, NOW);
    expect(unapproved.findings.map(f => [f.code, !!f.exception])).toEqual([
      ['overprivileged', true],
      ['unapproved', false],
    ]);
    // only unapproved counts: medium (10) × 1.5 production × 1.5 admin, rounded
    expect(unapproved.risk).toBe(23);
  });

  it("counts the finding again once the exception's expiresAt has passed", () => {
    const justBefore = utc(expiresAt).minus(ms);
    const after = utc(expiresAt).plus({ hours: 1 });

    expect(statusAt(excepted, justBefore).risk).toBe(0);

    const expired = statusAt(excepted, after);
    expect(expired.findings.map(f => f.code)).toEqual(['overprivileged']);
    expect(expired.findings[0].exception).toBeUndefined();
    expect(expired.risk).toBe(statusAt({}, after).risk);
    expect(expired.risk).toBe(45);
  });
});
