import {
  ApiBlueprint,
  ExtensionDefinition,
  OverridableFrontendPlugin,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { NhiClient, nhiApiRef } from './api';
import { IDENTITIES_TAB_KINDS } from './filters';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ATTESTATIONS_PAGE_PATH,
  SECURITY_PAGE_PATH,
  attestationsRouteRef,
  securityRouteRef,
} from './routes';

// The same route refs as the legacy plugin's: a page needs one to be a sidebar item.
const securityRoute = convertLegacyRouteRef(securityRouteRef);
const attestationsRoute = convertLegacyRouteRef(attestationsRouteRef);

// Each definition below is annotated as a plain ExtensionDefinition: the inferred types name a
// nested copy of @backstage/filter-predicates.

/** The client of the nhi backend. */
export const nhiApi: ExtensionDefinition = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: nhiApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new NhiClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Identities" tab, attached only to Component, System and Group pages. */
export const entityIdentitiesContent: ExtensionDefinition =
  EntityContentBlueprint.make({
    name: 'identities',
    params: {
      path: 'identities',
      title: 'Identities',
      filter: { kind: { $in: IDENTITIES_TAB_KINDS } },
      loader: () =>
        import('./components/EntityIdentitiesContent').then(m => (
          <m.EntityIdentitiesContent />
        )),
    },
  });

/** The overview card, on the same pages as the tab. */
export const entityIdentitiesCard: ExtensionDefinition =
  EntityCardBlueprint.make({
    name: 'identities',
    params: {
      filter: { kind: { $in: IDENTITIES_TAB_KINDS } },
      loader: () =>
        import('./components/EntityIdentitiesCard').then(m => (
          <m.EntityIdentitiesCard />
        )),
    },
  });

/**
 * The org-wide page for security. A page with a route ref, a title and an icon is also a
 * sidebar item: this version of the new frontend system has no separate NavItemBlueprint.
 */
export const securityPage: ExtensionDefinition = PageBlueprint.make({
  name: 'security',
  params: {
    path: SECURITY_PAGE_PATH,
    routeRef: securityRoute,
    title: 'Machine identities',
    icon: <VpnKeyIcon />,
    noHeader: true,
    loader: () =>
      import('./components/SecurityPage').then(m => <m.SecurityPage />),
  },
});

/** "My attestations", also in the sidebar. */
export const attestationsPage: ExtensionDefinition = PageBlueprint.make({
  name: 'attestations',
  params: {
    path: ATTESTATIONS_PAGE_PATH,
    routeRef: attestationsRoute,
    title: 'My attestations',
    icon: <AssignmentTurnedInIcon />,
    noHeader: true,
    loader: () =>
      import('./components/AttestationsPage').then(m => <m.AttestationsPage />),
  },
});

/** The home page card of the viewer's pending attestations. */
export const myAttestationsWidget: ExtensionDefinition =
  HomePageWidgetBlueprint.make({
    name: 'my-attestations',
    params: {
      name: 'MyAttestations',
      title: 'My attestations',
      components: () =>
        import('./components/AttestationsPage').then(m => ({
          Content: () => <m.MyAttestationsSummary />,
        })),
    },
  });

/**
 * The machine-identity plugin for the new frontend system.
 *
 * @alpha
 */
const nhiPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'nhi',
  routes: { security: securityRoute, attestations: attestationsRoute },
  extensions: [
    nhiApi,
    entityIdentitiesContent,
    entityIdentitiesCard,
    securityPage,
    attestationsPage,
    myAttestationsWidget,
  ],
});

export default nhiPlugin;
