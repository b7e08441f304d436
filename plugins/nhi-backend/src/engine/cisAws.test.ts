import { DateTime } from 'luxon';
import type { IdentitySourceFacts } from '@nhi-governance/plugin-nhi-common';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { SourceFactsBuilder } from '../discovery/reconcile/sourceFacts';
import { DEFAULT_POLICY } from '../policy/Policy';
import { withSourceDates } from './sourceDates';
import { healthy } from '../__testUtils__/fixtures';
import { computeStatus } from './computeStatus';
import { nextChangeAt } from './nextChange';

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });
const ARN = 'arn:aws:iam::123456789012:user/batch';

type Credential = NonNullable<IdentitySourceFacts['credentials']>[number];

/** A healthy identity that the credential report lists with the given keys. */
function listed(
  credentials: Credential[],
  findings: IdentitySourceFacts['findings'] = [],
) {
  const x = healthy();
  x.facts.sources = [
    {
      sourceId: 'aws',
      format: 'aws-credential-report',
      readAt: '2026-11-29T06:00:00.000Z',
      listed: true,
      reportsUsage: true,
      credentials,
      findings,
    },
  ];
  return x;
}

const key = (slot: string, fields: Partial<Credential>): Credential => ({
  externalId: `${ARN}#${slot}`,
  kind: 'access-key',
  active: true,
  ...fields,
});

const codesAt = (x: ReturnType<typeof listed>, now = NOW) =>
  computeStatus(x.identity, x.facts, DEFAULT_POLICY, now).findings.map(
    f => f.code,
  );

describe('CIS AWS key checks in the engine', () => {
  it('judges each key of one identity on its own, naming the keys that fail', () => {
    const x = listed([
      key('access_key_1', {
        createdAt: '2026-01-01T00:00:00.000Z',
        lastRotatedAt: '2026-01-01T00:00:00.000Z',
        lastUsedAt: '2026-11-28T00:00:00.000Z',
      }),
      key('access_key_2', {
        createdAt: '2026-11-01T00:00:00.000Z',
        lastRotatedAt: '2026-11-01T00:00:00.000Z',
        lastUsedAt: '2026-10-01T00:00:00.000Z',
      }),
    ]);
    const { findings } = computeStatus(
      x.identity,
      x.facts,
      DEFAULT_POLICY,
      NOW,
    );
    expect(
      findings.find(f => f.code === 'access-key-not-rotated')?.evidence,
    ).toEqual({
      cis: 'CIS AWS Foundations 1.14',
      keys: [`${ARN}#access_key_1: created 2026-01-01 (332 days)`],
      maxDays: 90,
    });
    expect(
      findings.find(f => f.code === 'access-key-unused')?.evidence,
    ).toEqual({
      cis: 'CIS AWS Foundations 1.12',
      keys: [`${ARN}#access_key_2: last used 2026-10-01 (59 days)`],
      thresholdDays: 45,
    });
  });

  it('gives no unused verdict for a key whose use is unknown, nor for an inactive one', () => {
    const x = listed([
      key('access_key_1', {
        createdAt: '2025-01-01T00:00:00.000Z',
        usageUnknown: true,
      }),
      key('access_key_2', {
        active: false,
        createdAt: '2025-01-01T00:00:00.000Z',
      }),
    ]);
    expect(codesAt(x)).not.toContain('access-key-unused');
  });

  it('raises root use only while it is a day old or less, and says when it stops', () => {
    const usedAt = '2026-11-28T20:00:00.000Z';
    const x = listed(
      [key('access_key_1', { createdAt: '2026-11-01T00:00:00.000Z' })],
      [
        {
          code: 'root-account-used',
          severity: 'high',
          detail: 'The root user was last used 2026-11-28, with its password.',
          observedAt: usedAt,
        },
      ],
    );
    expect(codesAt(x)).toContain('root-account-used');
    const next = nextChangeAt(x.identity, x.facts, DEFAULT_POLICY, NOW)!;
    expect(next <= DateTime.fromISO('2026-11-30T20:00:00Z')).toBe(true);
    expect(codesAt(x, DateTime.fromISO('2026-11-30T20:00:01Z'))).not.toContain(
      'root-account-used',
    );
  });

  it('recomputes no later than the day a key turns 45 days unused', () => {
    const x = listed([
      key('access_key_1', {
        createdAt: '2026-11-01T00:00:00.000Z',
        lastRotatedAt: '2026-11-01T00:00:00.000Z',
        lastUsedAt: '2026-11-20T00:00:00.000Z',
      }),
    ]);
    x.facts.usage.lastUsedAt = '2026-11-20T00:00:00.000Z';
    const turns = DateTime.fromISO('2027-01-04T00:00:00Z', { zone: 'utc' });
    expect(codesAt(x, turns.minus({ minutes: 1 }))).not.toContain(
      'access-key-unused',
    );
    expect(codesAt(x, turns)).toContain('access-key-unused');
    // Walking the moments the engine asks to be recomputed at lands on that day.
    const stops: DateTime[] = [];
    for (let at: DateTime = NOW; stops.length < 50; ) {
      const next = nextChangeAt(x.identity, x.facts, DEFAULT_POLICY, at);
      if (!next || next > turns) break;
      stops.push(next);
      at = next;
    }
    expect(stops.map(s => s.toMillis())).toContain(turns.toMillis());
  });

  it('finds an identity whose every key is inactive neither overdue nor dormant', () => {
    const x = listed([
      key('access_key_1', {
        active: false,
        createdAt: '2024-01-01T00:00:00.000Z',
        lastRotatedAt: '2024-01-01T00:00:00.000Z',
        lastUsedAt: '2024-06-01T00:00:00.000Z',
      }),
    ]);
    x.identity.credential.lastRotatedAt = '2024-01-01';
    x.facts.usage.lastUsedAt = '2024-06-01T00:00:00.000Z';
    const status = computeStatus(x.identity, x.facts, DEFAULT_POLICY, NOW);
    expect(status.rotation.status).toBe('exempt');
    expect(status.usage).toEqual({
      status: 'no-usage-data',
      lastUsedAt: '2024-06-01',
      daysSinceUse: 911,
    });
    expect(status.findings.map(f => [f.code, f.severity])).toEqual([
      ['inactive-key', 'low'],
    ]);
  });

  it('judges an identity by all its credentials, not only the 20 its facts name: an active 21st key is rotated and used', () => {
    const keyOf = (n: number, active: boolean): DiscoveredCredential => ({
      provider: 'aws',
      externalId: `${ARN}#key-${n}`,
      kind: 'access-key',
      principal: ARN,
      active,
      createdAt: '2024-01-01T00:00:00.000Z',
      lastRotatedAt: active
        ? '2026-03-01T00:00:00.000Z'
        : '2024-01-01T00:00:00.000Z',
      lastUsedAt: '2026-11-28T00:00:00.000Z',
    });
    const builder = new SourceFactsBuilder({
      sourceId: 'aws',
      format: 'aws-credential-report',
      readAt: '2026-11-29T06:00:00.000Z',
      reportsUsage: true,
    });
    for (let n = 1; n <= 20; n++) builder.add(keyOf(n, false));
    builder.add(keyOf(21, true));
    const source = { ...builder.build(), discovered: true };
    expect(source.activeCredentials).toBe(1);
    expect(source.credentials).toHaveLength(20);
    const x = healthy();
    x.facts.sources = [source];
    const status = computeStatus(
      withSourceDates(x.identity, [source]),
      x.facts,
      DEFAULT_POLICY,
      NOW,
    );
    // The 21st key works: it is not exempt from rotation, and it is overdue (rotated in March).
    expect(status.rotation.status).toBe('overdue');
    const codes = status.findings.map(f => f.code);
    expect(codes).toContain('access-key-not-rotated');
    expect(codes).toContain('inactive-key');
  });
});
