import type {
  DiscoveredCredentialKind,
  DiscoveredCredentialView,
  DiscoveryProvider,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';

/** The MachineIdentity type a discovered credential most likely is. */
const TYPE_OF: Record<DiscoveredCredentialKind, MachineIdentityType> = {
  'access-key': 'api-key',
  'signing-certificate': 'certificate',
  'service-account-key': 'service-account',
  'client-secret': 'oauth-client',
  'client-certificate': 'certificate',
  'personal-access-token': 'access-token',
  'app-installation': 'oauth-client',
  'service-account-token': 'access-token',
  'service-account': 'service-account',
};

/** The provider name declarations use (the one the match rule knows first). */
const DECLARED_PROVIDER: Record<DiscoveryProvider, string> = {
  aws: 'aws-iam',
  gcp: 'gcp',
  azure: 'azure',
  github: 'github',
  kubernetes: 'kubernetes',
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/^.*[/:]/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63) || 'discovered-identity';

/**
 * The YAML a team adds to its catalog-info.yaml to claim a discovered credential: what the
 * source knows filled in, what only the owner knows left for them to write.
 */
export function claimYaml(c: DiscoveredCredentialView): string {
  return [
    'apiVersion: nhi.backstage.io/v1alpha1',
    'kind: MachineIdentity',
    'metadata:',
    `  name: ${slug(c.principal)}`,
    'spec:',
    `  type: ${TYPE_OF[c.kind]}`,
    `  owner: ${c.ownerHint ?? 'group:default/your-team'}`,
    '  purpose: Why this identity exists, in one sentence',
    '  usedBy: [component:default/your-service]',
    '  environment: production',
    `  provider: ${DECLARED_PROVIDER[c.provider]}`,
    `  externalId: ${JSON.stringify(c.principal)}`,
    '  scopes: []',
    '  privilege: read',
    ...(c.lastRotatedAt
      ? ['  credential:', `    lastRotatedAt: ${c.lastRotatedAt.slice(0, 10)}`]
      : []),
    '',
  ].join('\n');
}
