import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';
import { refuseSecretsInConfig } from './refuseSecretsInConfig';

const refusal = (nhi: object) =>
  refuseSecretsInConfig(new ConfigReader({ nhi })).then(
    () => 'accepted',
    e => String(e.message),
  );

describe('refuseSecretsInConfig', () => {
  it("accepts this repository's app-config", async () => {
    const appConfig = parse(
      readFileSync(resolve(__dirname, '../../../../app-config.yaml'), 'utf8'),
    );
    expect(appConfig.nhi).toBeDefined();
    expect(await refusal(appConfig.nhi)).toBe('accepted');
  });

  it('accepts the settings of the example app and of the docs', async () => {
    expect(
      await refusal({
        policy: {
          maxCredentialAge: { 'access-token': 'P30D', 'api-key': 'P90D' },
          environments: {
            production: { maxCredentialAge: { 'ssh-key': 'P1Y' } },
          },
          monitoredProviders: ['aws-iam', 'gcp-iam'],
        },
        reviews: { securityGroup: 'group:default/security' },
        discovery: {
          sources: [
            {
              id: 'aws-prod-credential-report',
              format: 'aws-iam-credential-report',
              path: '/var/lib/nhi/credential-report.csv',
              authoritativeFor: [
                'arn:aws:iam::123456789012:',
                'AKIAQ3EGRTPC4EXAMPLE',
              ],
            },
            {
              id: 'gitleaks',
              format: 'gitleaks',
              url: 'https://ci.example.com/artifacts/gitleaks.json',
            },
          ],
        },
      }),
    ).toBe('accepted');
  });

  it.each([
    [
      { policy: { monitoredProviders: ['aws-iam', 'AKIAIOSFODNN7EXAMPLE'] } },
      'nhi.policy.monitoredProviders[1] looks like an AWS access key id',
      'AKIAIOSFODNN7EXAMPLE',
    ],
    [
      {
        reviews: {
          securityGroup:
            'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        },
      },
      'nhi.reviews.securityGroup looks like a Slack token or webhook URL',
      'XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    [
      {
        discovery: {
          sources: [
            {
              id: 'azure',
              format: 'entra-applications',
              url: 'https://acme.blob.core.windows.net/nhi/apps.json?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&sig=Q0sSxkU7nPq2Xv4yZb1Lh8w3TfRm9JcK5dG6aE0iN2o%3D',
            },
          ],
        },
      },
      'nhi.discovery.sources[0].url looks like an Azure shared access signature',
      'Q0sSxkU7nPq2Xv4yZb1Lh8w3TfRm9JcK5dG6aE0iN2o',
    ],
  ])(
    'stops start-up on a secret, naming the key: %#',
    async (nhi, named, secret) => {
      const message = await refusal(nhi);
      expect(message).toContain(named);
      expect(message).not.toContain(secret);
    },
  );
});
