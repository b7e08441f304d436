import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/**
 * The machine-identity plugin for apps on the legacy frontend system.
 * Apps on the new frontend system use the default export of `/alpha` instead.
 *
 * @public
 */
export const nhiPlugin = createPlugin({
  id: 'nhi',
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The "Identities" tab for Component, System and Group pages:
 * `<EntityLayout.Route path="/identities" title="Identities"><EntityIdentitiesContent /></EntityLayout.Route>`.
 *
 * @public
 */
export const EntityIdentitiesContent = nhiPlugin.provide(
  createRoutableExtension({
    name: 'EntityIdentitiesContent',
    component: () =>
      import('./components/EntityIdentitiesContent').then(
        m => m.EntityIdentitiesContent,
      ),
    mountPoint: rootRouteRef,
  }),
);
