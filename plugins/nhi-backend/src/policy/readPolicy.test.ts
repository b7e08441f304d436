import { ConfigReader } from '@backstage/config';
import { readPolicy } from './readPolicy';
import { rotationPeriodFor } from './Policy';

const policyFrom = (policy: any) =>
  readPolicy(new ConfigReader({ nhi: { policy } }));

describe('readPolicy', () => {
  it('uses the defaults when nothing is configured', () => {
    const policy = readPolicy(new ConfigReader({}));
    expect(policy.maxCredentialAge['api-key'].as('days')).toBe(90);
    expect(policy.maxCredentialAge.certificate.as('days')).toBe(365);
    expect(policy.maxCredentialAge['ssh-key'].as('days')).toBe(180);
    expect(policy.dueSoonWindow.as('days')).toBe(14);
    expect(policy.dormancyThreshold.as('days')).toBe(90);
    expect(policy.reviewCadence.as('months')).toBe(3);
    expect(policy.exemptTypes).toEqual(['workload-identity']);
  });

  it('overrides only the keys it is given', () => {
    const policy = policyFrom({
      maxCredentialAge: { 'api-key': 'P30D' },
      dueSoonWindow: 'P7D',
    });
    expect(policy.maxCredentialAge['api-key'].as('days')).toBe(30);
    expect(policy.maxCredentialAge['access-token'].as('days')).toBe(90);
    expect(policy.dueSoonWindow.as('days')).toBe(7);
  });

  it('picks the entity, then the environment, then the type', () => {
    const policy = policyFrom({
      environments: { production: { maxCredentialAge: { 'api-key': 'P60D' } } },
    });
    expect(rotationPeriodFor(policy, 'api-key', 'production').as('days')).toBe(
      60,
    );
    expect(rotationPeriodFor(policy, 'api-key', 'staging').as('days')).toBe(90);
    expect(
      rotationPeriodFor(policy, 'api-key', 'production', 'P7D').as('days'),
    ).toBe(7);
    expect(
      rotationPeriodFor(policy, 'certificate', 'production').as('days'),
    ).toBe(365);
  });

  it('reads the anomaly thresholds over their defaults', () => {
    expect(policyFrom({ anomaly: { volumeFactor: 8 } }).anomaly).toEqual({
      recentDays: 7,
      baselineDays: 30,
      minimumBaselineDays: 7,
      volumeFactor: 8,
      minimumVolume: 50,
    });
  });

  it.each([
    [
      { dueSoonWindow: '14 days' },
      'nhi.policy.dueSoonWindow must be a positive ISO 8601 duration',
    ],
    [
      { dormancyThreshold: 'P0D' },
      'nhi.policy.dormancyThreshold must be a positive ISO 8601 duration',
    ],
    [
      { maxCredentialAge: { 'api-key': 'soon' } },
      'nhi.policy.maxCredentialAge.api-key must be a positive ISO 8601 duration',
    ],
    [
      { maxCredentialAge: { 'magic-key': 'P30D' } },
      'nhi.policy.maxCredentialAge.magic-key',
    ],
    [
      {
        environments: { production: { maxCredentialAge: { certificate: 42 } } },
      },
      'nhi.policy.environments.production.maxCredentialAge.certificate must be an ISO 8601 duration',
    ],
    [
      { exemptTypes: ['robot'] },
      'nhi.policy.exemptTypes.0 must be one of service-account',
    ],
    [
      { authFailureSpike: { factor: 0 } },
      'nhi.policy.authFailureSpike.factor must be at least 1',
    ],
    [
      { anomaly: { recentDays: 0 } },
      'nhi.policy.anomaly.recentDays must be at least 1',
    ],
    [
      { anomaly: { baselineDays: 14.5 } },
      'nhi.policy.anomaly.baselineDays must be a whole number of days',
    ],
    [
      { anomaly: { volumeFactor: 0.5 } },
      'nhi.policy.anomaly.volumeFactor must be at least 1',
    ],
    [
      { anomaly: { minimumVolumes: 10 } },
      'nhi.policy.anomaly.minimumVolumes is not a policy setting',
    ],
    [
      { dormancyTreshold: 'P30D' },
      'nhi.policy.dormancyTreshold is not a policy setting',
    ],
  ])('refuses %j naming the key', (policy, message) => {
    expect(() => policyFrom(policy)).toThrow(message);
  });
});
