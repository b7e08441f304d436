import { createPermission } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { unprocessedEntitiesReadPermission } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { ExamplePermissionPolicy, SECURITY_GROUP } from './permissionPolicy';

const memberOf = (...groups: string[]) =>
  ({
    info: {
      userEntityRef: 'user:default/someone',
      ownershipEntityRefs: groups,
    },
  } as unknown as PolicyQueryUser);

describe('ExamplePermissionPolicy', () => {
  const policy = new ExamplePermissionPolicy();
  const readUnprocessed = { permission: unprocessedEntitiesReadPermission };

  it('hides entities that failed processing from people outside security', async () => {
    await expect(
      policy.handle(readUnprocessed, memberOf('group:default/payments')),
    ).resolves.toEqual({ result: 'DENY' });
  });

  it('shows them to security and to backend services', async () => {
    await expect(
      policy.handle(readUnprocessed, memberOf(SECURITY_GROUP)),
    ).resolves.toEqual({ result: 'ALLOW' });
    await expect(policy.handle(readUnprocessed)).resolves.toEqual({
      result: 'ALLOW',
    });
  });

  it('allows everything else', async () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    await expect(
      policy.handle({ permission: other }, memberOf('group:default/payments')),
    ).resolves.toEqual({ result: 'ALLOW' });
  });
});
