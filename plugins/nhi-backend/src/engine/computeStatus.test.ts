import { DateTime } from 'luxon';
import { DEFAULT_POLICY, Policy } from '../policy/Policy';
import { computeStatus } from './computeStatus';
import type { IdentityFacts, IdentityRecord } from './types';
import { healthy } from '../__testUtils__/fixtures';

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });

type Change = (x: { identity: IdentityRecord; facts: IdentityFacts }) => void;

function statusOf(change: Change = () => {}, policy: Policy = DEFAULT_POLICY) {
  const x = healthy();
  change(x);
  return computeStatus(x.identity, x.facts, policy, NOW);
}
const codesOf = (change: Change) => statusOf(change).findings.map(f => f.code);

describe('computeStatus', () => {
  it('finds nothing wrong with a healthy identity', () => {
    const status = statusOf();
    expect(status.rotation).toEqual({
      status: 'ok',
      lastRotatedAt: '2026-11-01',
      ageDays: 28,
      periodDays: 90,
      dueAt: '2027-01-30',
      expiresAt: undefined,
    });
    expect(status.usage).toEqual({
      status: 'active',
      lastUsedAt: '2026-11-28',
      daysSinceUse: 1,
    });
    expect(status.findings).toEqual([]);
    expect(status.risk).toBe(0);
  });

  describe('rotation', () => {
    it.each<[string, Change, string]>([
      [
        'rotated 80 days ago against 90',
        x => void (x.identity.credential.lastRotatedAt = '2026-09-10'),
        'due-soon',
      ],
      [
        'rotated 214 days ago against 90',
        x => void (x.identity.credential.lastRotatedAt = '2026-04-29'),
        'overdue',
      ],
      [
        'expired yesterday',
        x => void (x.identity.credential.expiresAt = '2026-11-28'),
        'expired',
      ],
      [
        'expiring within the window',
        x => void (x.identity.credential.expiresAt = '2026-12-05'),
        'due-soon',
      ],
      [
        'revoked by an event',
        x => void (x.facts.lastRevokedAt = '2026-11-20T08:00:00Z'),
        'expired',
      ],
      [
        'reported expired by an event before its declared expiry',
        x => {
          x.identity.credential.expiresAt = '2027-06-01';
          x.facts.lastExpiredEventAt = '2026-11-25T00:00:00Z';
        },
        'expired',
      ],
      [
        'revoked and then issued again',
        x => {
          x.facts.lastRevokedAt = '2026-11-20T08:00:00Z';
          x.facts.lastRotationEventAt = '2026-11-21T08:00:00Z';
        },
        'ok',
      ],
      [
        'with no dates at all',
        x => void (x.identity.credential = {}),
        'no-rotation-data',
      ],
      [
        'of an exempt type',
        x => void (x.identity.type = 'workload-identity'),
        'exempt',
      ],
      [
        'with its own longer period',
        x => {
          x.identity.credential.lastRotatedAt = '2026-04-29';
          x.identity.credential.rotationPeriod = 'P365D';
        },
        'ok',
      ],
      [
        'rotated by a later event than the entity says',
        x => {
          x.identity.credential.lastRotatedAt = '2026-01-10';
          x.facts.lastRotationEventAt = '2026-11-20T08:00:00Z';
        },
        'ok',
      ],
      [
        'a certificate a year old against 365 days',
        x => {
          x.identity.type = 'certificate';
          x.identity.credential = {
            createdAt: '2025-11-01',
            lastRotatedAt: '2025-11-01',
          };
        },
        'overdue',
      ],
    ])('is computed for an identity %s', (_case, change, expected) => {
      expect(statusOf(change).rotation.status).toBe(expected);
    });

    it('applies the stricter period of the environment', () => {
      const policy: Policy = {
        ...DEFAULT_POLICY,
        environments: {
          production: {
            maxCredentialAge: {
              'service-account': DEFAULT_POLICY.dueSoonWindow,
            },
          },
        },
      };
      const status = statusOf(() => {}, policy);
      expect(status.rotation).toMatchObject({
        status: 'overdue',
        periodDays: 14,
      });
    });
  });

  describe('usage', () => {
    it.each<[string, Change, string]>([
      [
        'used 120 days ago',
        x => void (x.facts.usage.lastUsedAt = '2026-08-01'),
        'dormant',
      ],
      [
        'never seen on a monitored provider',
        x => void (x.facts.usage.lastUsedAt = undefined),
        'never-used',
      ],
      [
        'never seen and not monitored',
        x => {
          x.facts.usage = { providerMonitored: false };
        },
        'no-usage-data',
      ],
      [
        'new and not yet used',
        x => {
          x.facts.usage.lastUsedAt = undefined;
          x.identity.credential.createdAt = '2026-11-20';
          x.identity.credential.lastRotatedAt = '2026-11-20';
        },
        'no-usage-data',
      ],
    ])('is computed for an identity %s', (_case, change, expected) => {
      expect(statusOf(change).usage.status).toBe(expected);
    });
  });

  describe('findings', () => {
    it.each<[string, Change, string[]]>([
      ['no owner', x => void (x.identity.owner = undefined), ['owner-missing']],
      [
        'an owner missing from the catalog',
        x => void (x.facts.ownerExists = false),
        ['owner-orphaned'],
      ],
      [
        'only deprecated users',
        x =>
          void (x.facts.usedByStates['component:default/payments-api'] =
            'deprecated'),
        ['offboarding'],
      ],
      [
        'a user gone from the catalog',
        x => void (x.facts.usedByStates = {}),
        ['offboarding'],
      ],
      [
        'an overdue rotation',
        x => void (x.identity.credential.lastRotatedAt = '2026-04-29'),
        ['rotation-overdue'],
      ],
      [
        'an expiry in the past',
        x => void (x.identity.credential.expiresAt = '2026-10-01'),
        ['expired'],
      ],
      [
        'a two-year lifetime',
        x => void (x.identity.credential.expiresAt = '2028-01-10'),
        ['long-lived'],
      ],
      [
        'no expiry and no rotation for years',
        x => {
          x.identity.credential = {
            rotation: 'none',
            createdAt: '2024-01-01',
            lastRotatedAt: '2026-11-01',
          };
        },
        ['long-lived'],
      ],
      [
        'a revoked credential still declared',
        x => void (x.facts.lastRevokedAt = '2026-11-20T08:00:00Z'),
        ['expired'],
      ],
      [
        'no use for 120 days',
        x => void (x.facts.usage.lastUsedAt = '2026-08-01'),
        ['dormant'],
      ],
      [
        'no use ever',
        x => void (x.facts.usage.lastUsedAt = undefined),
        ['never-used'],
      ],
      [
        'no usage evidence',
        x => void (x.facts.usage = { providerMonitored: false }),
        ['unmonitored'],
      ],
      [
        'admin privilege',
        x => void (x.identity.privilege = 'admin'),
        ['overprivileged'],
      ],
      [
        'a wildcard scope',
        x => void (x.identity.scopes = ['s3:*']),
        ['overprivileged'],
      ],
      [
        'three users',
        x => {
          x.identity.usedBy = [
            'component:default/a',
            'component:default/b',
            'component:default/c',
          ];
          x.facts.usedByStates = {
            'component:default/a': 'active',
            'component:default/b': 'active',
            'component:default/c': 'active',
          };
        },
        ['shared'],
      ],
      [
        'its credential in staging too',
        x => void (x.facts.credentialEnvironments = ['production', 'staging']),
        ['environment-mixing'],
      ],
      [
        'no approval',
        x => void (x.identity.approval = undefined),
        ['unapproved'],
      ],
      [
        'an interactive login',
        x =>
          void (x.facts.interactiveLogins = { count: 2, lastAt: '2026-11-27' }),
        ['human-use'],
      ],
      [
        'a failure spike',
        x => void (x.facts.authFailures = { lastDay: 120, dailyAverage: 3 }),
        ['auth-failure-spike'],
      ],
      [
        'a review item past its due date',
        x => void (x.facts.governance = { reviewDueAt: '2026-11-20' }),
        ['review-overdue'],
      ],
      [
        'a last review older than the cadence',
        x => void (x.facts.governance = { lastReviewedAt: '2026-07-01' }),
        ['review-overdue'],
      ],
      [
        'a remediation past its due date',
        x =>
          void (x.facts.governance = {
            remediations: [{ id: 'r1', kind: 'revoke', dueAt: '2026-11-01' }],
          }),
        ['remediation-overdue'],
      ],
      [
        'an approval from the security queue but none in the spec',
        x => {
          x.identity.approval = undefined;
          x.facts.governance = {
            approval: {
              approvedBy: 'user:default/sam',
              approvedAt: '2026-11-01',
            },
          };
        },
        [],
      ],
    ])('raises exactly the right finding for %s', (_case, change, expected) => {
      expect(codesOf(change)).toEqual(expected);
    });

    it.each<[string, Change]>([
      [
        'failures below the minimum',
        x => void (x.facts.authFailures = { lastDay: 15, dailyAverage: 0 }),
      ],
      [
        'failures at the usual rate',
        x => void (x.facts.authFailures = { lastDay: 40, dailyAverage: 30 }),
      ],
      [
        'two environments, neither production',
        x => void (x.facts.credentialEnvironments = ['staging', 'test']),
      ],
      [
        'a one-year certificate',
        x => {
          x.identity.type = 'certificate';
          x.identity.credential = {
            createdAt: '2026-06-01',
            expiresAt: '2027-06-01',
          };
        },
      ],
    ])('raises nothing for %s', (_case, change) => {
      expect(codesOf(change)).toEqual([]);
    });

    it('gives the revocation date as the evidence of a revoked credential', () => {
      const status = statusOf(
        x => void (x.facts.lastRevokedAt = '2026-11-20T08:00:00Z'),
      );
      expect(status.rotation).toEqual({
        status: 'expired',
        revokedAt: '2026-11-20',
      });
      expect(status.findings[0].evidence).toEqual({ revokedAt: '2026-11-20' });
    });

    it('explains each finding with its evidence, remediation and controls', () => {
      const [finding] = statusOf(
        x => void (x.identity.credential.lastRotatedAt = '2026-04-29'),
      ).findings;
      expect(finding).toMatchObject({
        code: 'rotation-overdue',
        severity: 'medium',
        title: 'Rotation overdue',
        evidence: {
          lastRotatedAt: '2026-04-29',
          ageDays: 214,
          periodDays: 90,
          dueAt: '2026-07-28',
        },
        controls: { soc2: ['CC6.1'], owaspNhi: ['NHI7'] },
      });
      expect(finding.explanation).toMatch(/leaked/);
      expect(finding.remediation).toMatch(/Rotate/);
    });
  });

  describe('risk', () => {
    it('weighs findings by severity, environment and privilege', () => {
      // overprivileged (high, 20) + unapproved (medium, 10) = 30, × 1.5 production × 1.5 admin
      const status = statusOf(x => {
        x.identity.privilege = 'admin';
        x.identity.approval = undefined;
      });
      expect(status.risk).toBe(68);
    });

    it('is lower for the same problem outside production with read access', () => {
      const status = statusOf(x => {
        x.identity.environment = 'staging';
        x.identity.privilege = 'read';
        x.identity.approval = undefined;
      });
      expect(status.risk).toBe(10);
    });

    it('never exceeds 100', () => {
      const status = statusOf(x => {
        x.identity.privilege = 'admin';
        x.identity.approval = undefined;
        x.identity.owner = undefined;
        x.identity.credential.expiresAt = '2026-10-01';
        x.facts.interactiveLogins = { count: 1 };
        x.facts.credentialEnvironments = ['production', 'test'];
      });
      expect(status.risk).toBe(100);
    });
  });
});
