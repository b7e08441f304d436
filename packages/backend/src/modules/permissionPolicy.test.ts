import { createPermission } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { unprocessedEntitiesReadPermission } from '@backstage/plugin-catalog-unprocessed-entities-common';
import {
  nhiAdminReadPermission,
  nhiCampaignManagePermission,
  nhiEventsIngestPermission,
  nhiExceptionApprovePermission,
  nhiIdentityReadPermission,
  nhiReviewDecidePermission,
} from '@nhi-governance/plugin-nhi-common';
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

  it('lets owners read their own machine identities and security read all of them', async () => {
    const read = { permission: nhiIdentityReadPermission };
    const owner = await policy.handle(
      read,
      memberOf('user:default/dana', 'group:default/payments'),
    );
    expect(owner).toMatchObject({
      result: 'CONDITIONAL',
      pluginId: 'nhi',
      resourceType: 'nhi-identity',
      conditions: {
        rule: 'IS_OWNER',
        params: { claims: ['user:default/dana', 'group:default/payments'] },
      },
    });
    await expect(
      policy.handle(read, memberOf(SECURITY_GROUP)),
    ).resolves.toEqual({
      result: 'ALLOW',
    });
  });

  it('lets owners decide on their own identities in recertification, and security on all', async () => {
    const decide = { permission: nhiReviewDecidePermission };
    await expect(
      policy.handle(decide, memberOf('group:default/payments')),
    ).resolves.toMatchObject({
      result: 'CONDITIONAL',
      resourceType: 'nhi-identity',
      conditions: {
        rule: 'IS_OWNER',
        params: { claims: ['group:default/payments'] },
      },
    });
    await expect(
      policy.handle(decide, memberOf(SECURITY_GROUP)),
    ).resolves.toEqual({ result: 'ALLOW' });
  });

  it.each(
    [nhiExceptionApprovePermission, nhiCampaignManagePermission].map(p => [
      p.name,
      p,
    ]),
  )('keeps %s for security', async (_name, permission) => {
    await expect(
      policy.handle({ permission }, memberOf('group:default/payments')),
    ).resolves.toEqual({ result: 'DENY' });
    await expect(
      policy.handle({ permission }, memberOf(SECURITY_GROUP)),
    ).resolves.toEqual({ result: 'ALLOW' });
  });

  it('keeps org-wide views for security and event ingestion for services', async () => {
    const payments = memberOf('group:default/payments');
    await expect(
      policy.handle({ permission: nhiAdminReadPermission }, payments),
    ).resolves.toEqual({ result: 'DENY' });
    await expect(
      policy.handle(
        { permission: nhiAdminReadPermission },
        memberOf(SECURITY_GROUP),
      ),
    ).resolves.toEqual({ result: 'ALLOW' });
    await expect(
      policy.handle(
        { permission: nhiEventsIngestPermission },
        memberOf(SECURITY_GROUP),
      ),
    ).resolves.toEqual({ result: 'DENY' });
    await expect(
      policy.handle({ permission: nhiEventsIngestPermission }),
    ).resolves.toEqual({ result: 'ALLOW' });
  });
});
