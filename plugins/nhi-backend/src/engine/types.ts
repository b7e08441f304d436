// What the engine is given about an identity: defined in nhi-node, where finding rules of
// backend modules read them too.
export type {
  GovernanceFacts,
  IdentityFacts,
} from '@nhi-governance/plugin-nhi-node';
export type { IdentityRecord } from '@nhi-governance/plugin-nhi-common';
