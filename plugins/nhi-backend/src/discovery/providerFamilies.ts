import type {
  DiscoveryProvider,
  UsageProvider,
} from '@nhi-governance/plugin-nhi-common';

/**
 * The `provider` values a MachineIdentity may declare for what a source calls one provider:
 * teams write `aws-iam` where the credential report says `aws`. Declarations name an identity
 * by its principal (a user ARN, a service-account email) as often as by a credential id, so a
 * match on either counts.
 */
export const DECLARED_PROVIDERS: Record<DiscoveryProvider, string[]> = {
  aws: ['aws', 'aws-iam'],
  gcp: ['gcp', 'gcp-iam', 'google-cloud'],
  azure: ['azure', 'azure-ad', 'entra', 'entra-id'],
  github: ['github'],
  kubernetes: ['kubernetes', 'k8s'],
};

/** The same for what usage logs name: a secrets broker such as Vault too. */
export const USAGE_PROVIDERS: Record<UsageProvider, string[]> = {
  ...DECLARED_PROVIDERS,
  vault: ['vault', 'hashicorp-vault'],
};
