import { parseEntityRef } from '@backstage/catalog-model';
import {
  DISCOVERED_KIND_TYPES,
  DISCOVERY_PROVIDERS,
  DiscoveredCredentialView,
  DiscoveryProvider,
  IdentityView,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';

/**
 * The provider name declarations use for what a source calls a provider: one the backend's
 * match rule counts as the same provider family, so the claimed identity is matched.
 */
const DECLARED_PROVIDER: Record<DiscoveryProvider, string> = {
  aws: 'aws-iam',
  gcp: 'gcp',
  azure: 'azure',
  github: 'github',
  kubernetes: 'kubernetes',
};

const isDiscoveryProvider = (p: string): p is DiscoveryProvider =>
  (DISCOVERY_PROVIDERS as readonly string[]).includes(p);

/** The owner placeholder when the source names none: the team claiming it writes its own. */
export const PLACEHOLDER_OWNER = 'group:default/your-team';

/** What a claim knows from the source; what only the owner knows stays a placeholder. */
interface ClaimDraft {
  name: string;
  type: MachineIdentityType;
  owner?: string;
  environment?: string;
  /** As the source or the registry names it (`aws`); written as declarations do (`aws-iam`). */
  provider: string;
  /** What the backend matches on: the credential's id or its principal. */
  externalId: string;
  scopes?: string[];
  privilege?: string;
  /** Set when the provider rotates the credential itself. */
  automaticRotation?: boolean;
  credential?: {
    createdAt?: string;
    lastRotatedAt?: string;
    expiresAt?: string;
  };
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '') || 'discovered-identity';

// Dates quoted, so that no YAML reader turns them into timestamps the schema refuses.
const day = (iso: string) => `'${iso.slice(0, 10)}'`;

function machineIdentityYaml(draft: ClaimDraft): string {
  const credential = [
    ...(draft.automaticRotation ? ['rotation: automatic'] : []),
    ...Object.entries(draft.credential ?? {}).flatMap(([field, value]) =>
      value ? [`${field}: ${day(value)}`] : [],
    ),
  ];
  return [
    'apiVersion: nhi.backstage.io/v1alpha1',
    'kind: MachineIdentity',
    'metadata:',
    `  name: ${slug(draft.name)}`,
    'spec:',
    `  type: ${draft.type}`,
    `  owner: ${draft.owner ?? PLACEHOLDER_OWNER}`,
    '  purpose: Why this identity exists, in one sentence',
    '  usedBy: [component:default/your-service]',
    `  environment: ${draft.environment ?? 'production'}`,
    `  provider: ${
      isDiscoveryProvider(draft.provider)
        ? DECLARED_PROVIDER[draft.provider]
        : draft.provider
    }`,
    `  externalId: ${JSON.stringify(draft.externalId)}`,
    `  scopes: ${JSON.stringify(draft.scopes ?? [])}`,
    `  privilege: ${draft.privilege ?? 'read'}`,
    ...(credential.length
      ? ['  credential:', ...credential.map(line => `    ${line}`)]
      : []),
    '',
  ].join('\n');
}

/**
 * The YAML a team adds to its catalog-info.yaml to claim a credential a source lists: named
 * by its principal, so one declaration covers every key of the principal.
 */
export function claimYaml(c: DiscoveredCredentialView): string {
  return machineIdentityYaml({
    name: c.principal.replace(/^.*[/:]/, ''),
    type: DISCOVERED_KIND_TYPES[c.kind],
    owner: c.ownerHint,
    provider: c.provider,
    externalId: c.principal,
    scopes: c.scopes,
    credential: { lastRotatedAt: c.lastRotatedAt },
  });
}

/**
 * The discovered identity's name without the provider prefix and id digest the backend adds
 * (`aws-legacy-batch-access-key-1-3f9a0c1b2d` is `legacy-batch-access-key-1`).
 */
function claimName(identity: IdentityView): string {
  const { name } = parseEntityRef(identity.ref);
  const prefix = `${identity.provider ?? ''}-`;
  const bare = name.replace(/-[0-9a-f]{10}$/, '');
  return (bare.startsWith(prefix) ? bare.slice(prefix.length) : bare) || name;
}

/**
 * The YAML to claim an identity a discovery source found and nobody declared: its own
 * credential id as externalId, so the declaration matches exactly this credential.
 */
export function claimYamlForIdentity(identity: IdentityView): string {
  const { rotation, createdAt, lastRotatedAt, expiresAt } = identity.credential;
  return machineIdentityYaml({
    name: claimName(identity),
    type: identity.type,
    owner: identity.owner,
    environment: identity.environment,
    provider: identity.provider ?? 'your-provider',
    externalId: identity.externalId ?? 'the credential id or its principal',
    scopes: identity.scopes,
    privilege: identity.privilege,
    automaticRotation: rotation === 'automatic',
    credential: { createdAt, lastRotatedAt, expiresAt },
  });
}
