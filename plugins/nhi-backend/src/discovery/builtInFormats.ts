import type { NhiSourceFormat } from '@nhi-governance/plugin-nhi-node';
import {
  parseAwsCredentialReport,
  parseCloudTrail,
  parseEntraApplications,
  parseGcpServiceAccountKeys,
  parseGithubAppInstallations,
  parseGithubPersonalAccessTokens,
  parseGitleaksReport,
  parseKubernetesServiceAccounts,
  parseTrufflehogReport,
  parseVaultAudit,
} from './parsers';

/**
 * The formats discovery reads out of the box, registered through the same door as a module's
 * (`nhiDiscoveryExtensionPoint.addSourceFormat`). Credential lists are reconciled with what
 * teams declared; `reportsUsage` when the export also says when each was last used (so an
 * absent date means never used, not unknown). Usage logs are counted per identity per day;
 * leak reports are matched to the identity the secret belongs to.
 */
export const builtInSourceFormats: NhiSourceFormat[] = [
  {
    name: 'aws-credential-report',
    kind: 'credentials',
    parse: parseAwsCredentialReport,
    provider: 'aws',
    reportsUsage: true,
  },
  {
    name: 'gcp-service-account-keys',
    kind: 'credentials',
    parse: parseGcpServiceAccountKeys,
    provider: 'gcp',
    reportsUsage: false,
  },
  {
    name: 'entra-applications',
    kind: 'credentials',
    parse: parseEntraApplications,
    provider: 'azure',
    reportsUsage: false,
  },
  {
    name: 'github-personal-access-tokens',
    kind: 'credentials',
    parse: parseGithubPersonalAccessTokens,
    provider: 'github',
    reportsUsage: true,
  },
  {
    name: 'github-app-installations',
    kind: 'credentials',
    parse: parseGithubAppInstallations,
    provider: 'github',
    reportsUsage: false,
  },
  {
    name: 'kubernetes-service-accounts',
    kind: 'credentials',
    parse: parseKubernetesServiceAccounts,
    provider: 'kubernetes',
    reportsUsage: false,
  },
  { name: 'aws-cloudtrail', kind: 'usage', parse: parseCloudTrail },
  { name: 'vault-audit', kind: 'usage', parse: parseVaultAudit },
  { name: 'gitleaks', kind: 'leaks', parse: parseGitleaksReport },
  { name: 'trufflehog', kind: 'leaks', parse: parseTrufflehogReport },
];
