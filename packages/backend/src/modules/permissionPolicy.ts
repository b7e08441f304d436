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

/** The example organisation's security team. */
export const SECURITY_GROUP = 'group:default/security';

/**
 * The example portal's policy. Everyone may use the catalog. Entities that failed processing
 * are shown only to security and to backend services: the catalog keeps such an entity exactly
 * as it was read, so a refused MachineIdentity may still hold the secret that got it refused.
 */
export class ExamplePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isPermission(request.permission, unprocessedEntitiesReadPermission) ||
      isPermission(request.permission, unprocessedEntitiesDeletePermission)
    ) {
      const allowed =
        !user || user.info.ownershipEntityRefs.includes(SECURITY_GROUP);
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
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
