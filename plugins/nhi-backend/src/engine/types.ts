import type {
  MachineIdentitySpec,
  MachineIdentityType,
  PrivilegeLevel,
  ReviewStatus,
} from '@nhi-governance/plugin-nhi-common';

/**
 * One identity as the plugin stores it: the declared facts with every ref resolved to a full
 * entity ref. It comes from the catalog today and from discovery later.
 */
export interface IdentityRecord {
  ref: string;
  type: MachineIdentityType;
  owner?: string;
  backupOwner?: string;
  system?: string;
  usedBy: string[];
  environment?: string;
  provider?: string;
  externalId?: string;
  purpose?: string;
  scopes: string[];
  privilege?: PrivilegeLevel;
  credential: NonNullable<MachineIdentitySpec['credential']>;
  approval?: MachineIdentitySpec['approval'];
}

/** What the rest of the world says about an identity: the catalog around it and its events. */
export interface IdentityFacts {
  /** Whether the owner ref names an entity in the catalog. */
  ownerExists: boolean;
  /** The state of each usedBy entity in the catalog. */
  usedByStates: Record<string, 'active' | 'deprecated' | 'missing'>;
  /** Every environment declaring the same provider + externalId, this identity's included. */
  credentialEnvironments: string[];
  /** The latest `rotated` or `issued` event. */
  lastRotationEventAt?: string;
  usage: {
    lastUsedAt?: string;
    /** Whether usage from this identity's provider reaches the portal at all. */
    providerMonitored: boolean;
  };
  interactiveLogins: { count: number; lastAt?: string };
  authFailures: { lastDay: number; dailyAverage: number };
  review: ReviewStatus;
}
