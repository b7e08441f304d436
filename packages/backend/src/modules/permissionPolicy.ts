import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  unprocessedEntitiesDeletePermission,
  unprocessedEntitiesReadPermission,
} from '@backstage/plugin-catalog-unprocessed-entities-common';
import {
  nhiAdminReadPermission,
  nhiCampaignManagePermission,
  nhiDiscoveryRunPermission,
  nhiEventsIngestPermission,
  nhiEvidenceExportPermission,
  nhiExceptionApprovePermission,
  nhiIdentityReadPermission,
  nhiReviewDecidePermission,
} from '@nhi-governance/plugin-nhi-common';
import {
  createNhiIdentityConditionalDecision,
  nhiIdentityConditions,
} from '@nhi-governance/plugin-nhi-backend';

/** The example organisation's security team. */
export const SECURITY_GROUP = 'group:default/security';

const SECURITY_ONLY = [
  unprocessedEntitiesReadPermission,
  unprocessedEntitiesDeletePermission,
  nhiAdminReadPermission,
  nhiCampaignManagePermission,
  nhiDiscoveryRunPermission,
  nhiEvidenceExportPermission,
  nhiExceptionApprovePermission,
];

/**
 * The example portal's policy. Everyone may use the catalog. Owners see their own machine
 * identities and security sees all of them; owners decide on their own identities in a
 * recertification, and security on any. Org-wide views and approvals are for security.
 * Entities that failed processing are for security too: the catalog keeps such an entity
 * exactly as it was read, so a refused MachineIdentity may still hold its secret. Backend
 * services (no user) may do everything, and only they may send events.
 */
export class ExamplePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const allow = { result: AuthorizeResult.ALLOW } as const;
    const deny = { result: AuthorizeResult.DENY } as const;
    if (!user) {
      return allow;
    }
    const claims = user.info.ownershipEntityRefs;
    const isSecurity = claims.includes(SECURITY_GROUP);
    if (SECURITY_ONLY.some(p => isPermission(request.permission, p))) {
      return isSecurity ? allow : deny;
    }
    if (isPermission(request.permission, nhiEventsIngestPermission)) {
      return deny;
    }
    // Owners read, and decide in recertification on, their own identities; security all of them.
    if (
      isPermission(request.permission, nhiIdentityReadPermission) ||
      isPermission(request.permission, nhiReviewDecidePermission)
    ) {
      return isSecurity
        ? allow
        : createNhiIdentityConditionalDecision(
            request.permission,
            nhiIdentityConditions.isIdentityOwner({ claims }),
          );
    }
    return allow;
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new ExamplePermissionPolicy());
      },
    });
  },
});
