/**
 * Parsers of the exports that clouds, clusters, secret brokers and leak scanners produce.
 * Each one streams: it reads its input piece by piece and yields one item at a time, and
 * fails with a SourceParseError that names the source, the place in the file and the reason.
 */
export { SourceParseError } from './SourceParseError';
export type { SourceInput } from './stream';
export {
  AWS_CREDENTIAL_REPORT_COLUMNS,
  parseAwsCredentialReport,
} from './awsCredentialReport';
export {
  parseGcpKeyLastAuthentication,
  parseGcpServiceAccountKeys,
} from './gcpServiceAccountKeys';
export type { GcpKeyLastAuthentication } from './gcpServiceAccountKeys';
export { parseEntraApplications } from './entraApplications';
export { parseGithubPersonalAccessTokens } from './githubPersonalAccessTokens';
export { parseGithubAppInstallations } from './githubAppInstallations';
export { parseKubernetesServiceAccounts } from './kubernetesServiceAccounts';
export { parseCloudTrail } from './cloudTrail';
export { parseVaultAudit } from './vaultAudit';
export { parseGitleaksReport } from './gitleaks';
export { parseTrufflehogReport } from './trufflehog';
