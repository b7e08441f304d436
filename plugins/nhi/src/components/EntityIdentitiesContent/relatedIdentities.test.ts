import type { Entity } from '@backstage/catalog-model';
import { relatedIdentityRefs } from './relatedIdentities';

function componentWith(relations: Entity['relations']): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    relations,
  };
}

describe('relatedIdentityRefs', () => {
  it('picks machine identities reached through dependsOn, hasPart and ownerOf', () => {
    const entity = componentWith([
      { type: 'dependsOn', targetRef: 'machineidentity:default/db-writer' },
      { type: 'hasPart', targetRef: 'machineidentity:default/ci-token' },
      { type: 'ownerOf', targetRef: 'machineidentity:default/api-key' },
    ]);

    expect(relatedIdentityRefs(entity)).toEqual([
      'machineidentity:default/api-key',
      'machineidentity:default/ci-token',
      'machineidentity:default/db-writer',
    ]);
  });

  it('ignores targets of other kinds', () => {
    const entity = componentWith([
      { type: 'dependsOn', targetRef: 'component:default/ledger' },
      { type: 'hasPart', targetRef: 'resource:default/orders-db' },
      { type: 'ownerOf', targetRef: 'system:default/payments' },
    ]);

    expect(relatedIdentityRefs(entity)).toEqual([]);
  });

  it('ignores other relation types, even towards machine identities', () => {
    const entity = componentWith([
      { type: 'dependencyOf', targetRef: 'machineidentity:default/db-writer' },
      { type: 'providesApi', targetRef: 'machineidentity:default/api-key' },
      { type: 'ownedBy', targetRef: 'machineidentity:default/ci-token' },
    ]);

    expect(relatedIdentityRefs(entity)).toEqual([]);
  });

  it('matches the kind case-insensitively', () => {
    const entity = componentWith([
      { type: 'dependsOn', targetRef: 'MachineIdentity:default/db-writer' },
    ]);

    expect(relatedIdentityRefs(entity)).toEqual([
      'MachineIdentity:default/db-writer',
    ]);
  });

  it('lists each identity once, sorted', () => {
    const entity = componentWith([
      { type: 'ownerOf', targetRef: 'machineidentity:default/zeta' },
      { type: 'dependsOn', targetRef: 'machineidentity:default/alpha' },
      { type: 'hasPart', targetRef: 'machineidentity:default/zeta' },
      { type: 'dependsOn', targetRef: 'machineidentity:default/alpha' },
    ]);

    expect(relatedIdentityRefs(entity)).toEqual([
      'machineidentity:default/alpha',
      'machineidentity:default/zeta',
    ]);
  });

  it('returns nothing for an entity without relations', () => {
    expect(relatedIdentityRefs(componentWith(undefined))).toEqual([]);
  });
});
