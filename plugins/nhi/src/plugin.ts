import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { NhiClient, nhiApiRef } from './api';
import { attestationsRouteRef, rootRouteRef, securityRouteRef } from './routes';

/**
 * The machine-identity plugin for apps on the legacy frontend system.
 * Apps on the new frontend system use the default export of `/alpha` instead.
 *
 * @public
 */
export const nhiPlugin = createPlugin({
  id: 'nhi',
  apis: [
    createApiFactory({
      api: nhiApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new NhiClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    security: securityRouteRef,
    attestations: attestationsRouteRef,
  },
});

/**
 * The "Identities" tab for Component, System and Group pages:
 * `<EntityLayout.Route path="/identities" title="Identities" if={isIdentitiesTabAvailable}><EntityIdentitiesContent /></EntityLayout.Route>`.
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

/**
 * The overview card: identities by status, with a link to the tab.
 *
 * @public
 */
export const EntityIdentitiesCard = nhiPlugin.provide(
  createComponentExtension({
    name: 'EntityIdentitiesCard',
    component: {
      lazy: () =>
        import('./components/EntityIdentitiesCard').then(
          m => m.EntityIdentitiesCard,
        ),
    },
  }),
);

/**
 * The org-wide page for security: `<Route path="/machine-identities/security" element={<NhiSecurityPage />} />`.
 *
 * @public
 */
export const NhiSecurityPage = nhiPlugin.provide(
  createRoutableExtension({
    name: 'NhiSecurityPage',
    component: () =>
      import('./components/SecurityPage').then(m => m.SecurityPage),
    mountPoint: securityRouteRef,
  }),
);

/**
 * "My attestations": `<Route path="/machine-identities/attestations" element={<NhiAttestationsPage />} />`.
 *
 * @public
 */
export const NhiAttestationsPage = nhiPlugin.provide(
  createRoutableExtension({
    name: 'NhiAttestationsPage',
    component: () =>
      import('./components/AttestationsPage').then(m => m.AttestationsPage),
    mountPoint: attestationsRouteRef,
  }),
);

/**
 * A home page card with the viewer's pending attestations.
 *
 * @public
 */
export const MyAttestationsCard = nhiPlugin.provide(
  createComponentExtension({
    name: 'MyAttestationsCard',
    component: {
      lazy: () =>
        import('./components/AttestationsPage').then(m => m.MyAttestationsCard),
    },
  }),
);
