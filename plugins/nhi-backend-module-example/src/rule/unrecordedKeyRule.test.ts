import { DateTime } from 'luxon';
import type { IdentityFacts, RuleInput } from '@nhi-governance/plugin-nhi-node';
import type { IdentitySourceFacts } from '@nhi-governance/plugin-nhi-common';
import { findUnrecordedKeys, unrecordedKeyRule } from './unrecordedKeyRule';

const KEY =
  'arn:aws:iam::123456789012:user/payments-db-writer#0123456789abcdef';

function input(
  credential: Record<string, string>,
  sources: IdentitySourceFacts[],
  facts: Partial<IdentityFacts> = {},
): RuleInput {
  return {
    identity: { credential } as unknown as RuleInput['identity'],
    facts: { sources, ...facts } as IdentityFacts,
    rotation: {} as RuleInput['rotation'],
    usage: {} as RuleInput['usage'],
    review: 'current' as RuleInput['review'],
    policy: {} as RuleInput['policy'],
    now: DateTime.fromISO('2026-12-04T00:00:00Z'),
  };
}

const source = (
  credentials: NonNullable<IdentitySourceFacts['credentials']>,
  extra: Partial<IdentitySourceFacts> = {},
): IdentitySourceFacts => ({
  sourceId: 'aws-access-keys',
  format: 'aws-iam-access-keys',
  readAt: '2026-12-04T00:00:00Z',
  listed: true,
  credentials,
  ...extra,
});

describe('key-issued-unrecorded', () => {
  it('flags an active key issued after the last rotation on record', () => {
    const evidence = findUnrecordedKeys(
      input({ createdAt: '2026-01-10', lastRotatedAt: '2026-11-10' }, [
        source([
          {
            externalId: KEY,
            kind: 'access-key',
            active: true,
            createdAt: '2026-11-30T08:00:00.000Z',
          },
        ]),
      ]),
    );
    expect(evidence).toEqual({
      keys: [`${KEY} issued 2026-11-30 (aws-access-keys)`],
      lastRecordedRotation: '2026-11-10',
      sources: ['aws-access-keys'],
    });
  });

  it('accepts the key of a recorded rotation, the same day or by event', () => {
    const key = {
      externalId: KEY,
      kind: 'access-key' as const,
      active: true,
      createdAt: '2026-11-30T08:00:00.000Z',
    };
    expect(
      findUnrecordedKeys(
        input({ lastRotatedAt: '2026-11-30' }, [source([key])]),
      ),
    ).toBeUndefined();
    expect(
      findUnrecordedKeys(
        input({ lastRotatedAt: '2026-11-10' }, [source([key])], {
          lastRotationEventAt: '2026-11-30T09:00:00Z',
        }),
      ),
    ).toBeUndefined();
  });

  it('leaves out inactive keys, undeclared identities and identities with nothing on record', () => {
    const newer = {
      externalId: KEY,
      kind: 'access-key' as const,
      createdAt: '2026-11-30T08:00:00.000Z',
    };
    expect(
      findUnrecordedKeys(
        input({ lastRotatedAt: '2026-11-10' }, [
          source([{ ...newer, active: false }]),
        ]),
      ),
    ).toBeUndefined();
    expect(
      findUnrecordedKeys(
        input({ lastRotatedAt: '2026-11-10' }, [
          source([{ ...newer, active: true }], { discovered: true }),
        ]),
      ),
    ).toBeUndefined();
    expect(
      findUnrecordedKeys(input({}, [source([{ ...newer, active: true }])])),
    ).toBeUndefined();
  });

  it('is a kebab-case code of its own with its controls', () => {
    expect(unrecordedKeyRule).toMatchObject({
      code: 'key-issued-unrecorded',
      severity: 'medium',
      controls: {
        soc2: ['CC6.1', 'CC6.2'],
        nistCsf: ['PR.AA-01', 'ID.AM-08'],
        owaspNhi: ['NHI7'],
      },
    });
  });
});
