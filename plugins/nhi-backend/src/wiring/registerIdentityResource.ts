import type { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import { nhiPermissions } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../database/NhiStores';
import { toView } from '../identities/toView';
import {
  identityPermissionRules,
  identityResourceRef,
} from '../permissions/identityResource';

/** Lets permission policies decide on identities by their fields (owner, type, environment…). */
export function registerIdentityResource(
  permissionsRegistry: PermissionsRegistryService,
  stores: NhiStores,
) {
  permissionsRegistry.addResourceType({
    resourceRef: identityResourceRef,
    permissions: nhiPermissions,
    rules: Object.values(identityPermissionRules),
    getResources: async refs =>
      Promise.all(
        refs.map(async ref => {
          const stored = await stores.identities.readIdentity(ref);
          return stored ? toView(stored) : undefined;
        }),
      ),
  });
}
