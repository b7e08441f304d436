import type { Readable } from 'stream';
import type {
  DiscoveredCredential,
  DiscoveryProvider,
  LeakReport,
  UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
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
import type { WarnFn } from './parsers/SourceWarning';

/**
 * Reads a file, yielding each item as it goes. An odd cell is read as unknown and reported to
 * `warn`; only a file that cannot be trusted as a whole throws (a SourceParseError).
 */
type Parser<T> = (input: Readable, warn: WarnFn) => AsyncIterable<T>;

/**
 * Exports that list credentials: read into the discovered inventory and reconciled with what
 * teams declared. Each lists one provider's credentials; `reportsUsage` when it also says when
 * each was last used (so an absent date means never used, not unknown).
 */
export const CREDENTIAL_FORMATS: Record<
  string,
  {
    parse: Parser<DiscoveredCredential>;
    provider: DiscoveryProvider;
    reportsUsage: boolean;
  }
> = {
  'aws-credential-report': {
    parse: parseAwsCredentialReport,
    provider: 'aws',
    reportsUsage: true,
  },
  'gcp-service-account-keys': {
    parse: parseGcpServiceAccountKeys,
    provider: 'gcp',
    reportsUsage: false,
  },
  'entra-applications': {
    parse: parseEntraApplications,
    provider: 'azure',
    reportsUsage: false,
  },
  'github-personal-access-tokens': {
    parse: parseGithubPersonalAccessTokens,
    provider: 'github',
    reportsUsage: true,
  },
  'github-app-installations': {
    parse: parseGithubAppInstallations,
    provider: 'github',
    reportsUsage: false,
  },
  'kubernetes-service-accounts': {
    parse: parseKubernetesServiceAccounts,
    provider: 'kubernetes',
    reportsUsage: false,
  },
};

/** Usage logs: each record a use or a failed attempt, counted per identity per day. */
export const USAGE_FORMATS: Record<string, Parser<UsageObservation>> = {
  'aws-cloudtrail': parseCloudTrail,
  'vault-audit': parseVaultAudit,
};

/** Leak scanner reports: where a secret was found, matched to the identity it belongs to. */
export const LEAK_FORMATS: Record<string, Parser<LeakReport>> = {
  gitleaks: parseGitleaksReport,
  trufflehog: parseTrufflehogReport,
};

export const SOURCE_FORMATS = [
  ...Object.keys(CREDENTIAL_FORMATS),
  ...Object.keys(USAGE_FORMATS),
  ...Object.keys(LEAK_FORMATS),
] as [string, ...string[]];
export type SourceFormat = string;

export function formatKind(format: string): 'credentials' | 'usage' | 'leaks' {
  if (format in CREDENTIAL_FORMATS) return 'credentials';
  return format in USAGE_FORMATS ? 'usage' : 'leaks';
}
