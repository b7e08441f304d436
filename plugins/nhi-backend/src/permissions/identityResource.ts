import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  IdentityView,
  NHI_IDENTITY_RESOURCE_TYPE,
} from '@nhi-governance/plugin-nhi-common';
import { z } from 'zod';

/** A condition on identities, as the identity table can answer it. */
export interface IdentityQuery {
  column: 'owner' | 'backup_owner' | 'system' | 'type' | 'environment';
  values: string[];
}

export const identityResourceRef = createPermissionResourceRef<
  IdentityView,
  IdentityQuery
>().with({ pluginId: 'nhi', resourceType: NHI_IDENTITY_RESOURCE_TYPE });

const refs = (description: string) =>
  z.object({ claims: z.array(z.string()).describe(description) });

/** Owners (and backup owners) see their identities. */
export const isIdentityOwner = createPermissionRule({
  name: 'IS_OWNER',
  description:
    'Allow identities owned, or backed up, by one of the given entity refs',
  resourceRef: identityResourceRef,
  paramsSchema: refs(
    'The user and group refs of the caller (their ownership claims)',
  ),
  apply: (identity, { claims }) =>
    [identity.owner, identity.backupOwner].some(o => !!o && claims.includes(o)),
  toQuery: ({ claims }) => ({
    anyOf: [
      { column: 'owner', values: claims },
      { column: 'backup_owner', values: claims },
    ],
  }),
});

export const isIdentityInSystem = createPermissionRule({
  name: 'IS_IN_SYSTEM',
  description: 'Allow identities that belong to one of the given systems',
  resourceRef: identityResourceRef,
  paramsSchema: z.object({
    systems: z.array(z.string()).describe('System entity refs'),
  }),
  apply: (identity, { systems }) =>
    !!identity.system && systems.includes(identity.system),
  toQuery: ({ systems }) => ({ column: 'system', values: systems }),
});

export const hasIdentityType = createPermissionRule({
  name: 'HAS_TYPE',
  description: 'Allow identities of the given types',
  resourceRef: identityResourceRef,
  paramsSchema: z.object({
    types: z.array(z.string()).describe('Identity types'),
  }),
  apply: (identity, { types }) => types.includes(identity.type),
  toQuery: ({ types }) => ({ column: 'type', values: types }),
});

export const identityPermissionRules = {
  isIdentityOwner,
  isIdentityInSystem,
  hasIdentityType,
};

/** For permission policies: `nhiIdentityConditions.isIdentityOwner({ claims })`. */
export const {
  conditions: nhiIdentityConditions,
  createConditionalDecision: createNhiIdentityConditionalDecision,
} = createConditionExports({
  resourceRef: identityResourceRef,
  rules: identityPermissionRules,
});

/** The rules by name, as the permission framework looks them up. */
export const identityRuleset = {
  getRuleByName(name: string) {
    const rule = Object.values(identityPermissionRules).find(
      r => r.name === name,
    );
    if (!rule)
      throw new Error(`Unknown machine identity permission rule ${name}`);
    return rule;
  },
};
