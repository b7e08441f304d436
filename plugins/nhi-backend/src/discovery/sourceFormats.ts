import type { Readable } from 'stream';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import {
  parseAwsCredentialReport,
  parseEntraApplications,
  parseGcpServiceAccountKeys,
  parseGithubAppInstallations,
  parseGithubPersonalAccessTokens,
  parseKubernetesServiceAccounts,
} from './parsers';

/**
 * The formats a source may have. Those that list credentials are read into the discovered
 * inventory; usage logs and leak scans are read by their own readers.
 */
export const CREDENTIAL_FORMATS = {
  'aws-credential-report': parseAwsCredentialReport,
  'gcp-service-account-keys': parseGcpServiceAccountKeys,
  'entra-applications': parseEntraApplications,
  'github-personal-access-tokens': parseGithubPersonalAccessTokens,
  'github-app-installations': parseGithubAppInstallations,
  'kubernetes-service-accounts': parseKubernetesServiceAccounts,
} as const satisfies Record<
  string,
  (input: Readable) => AsyncIterable<DiscoveredCredential>
>;

export const SOURCE_FORMATS = Object.keys(CREDENTIAL_FORMATS) as Array<
  keyof typeof CREDENTIAL_FORMATS
>;
export type SourceFormat = keyof typeof CREDENTIAL_FORMATS;
