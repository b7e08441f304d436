import {
  ExtensionDefinition,
  OverridableFrontendPlugin,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { IDENTITIES_TAB_KINDS } from './filters';

/** The "Identities" tab, attached only to Component, System and Group pages. */
// Annotated: the inferred type names a nested copy of @backstage/filter-predicates.
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

/**
 * The machine-identity plugin for the new frontend system.
 *
 * @alpha
 */
const nhiPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'nhi',
  extensions: [entityIdentitiesContent],
});

export default nhiPlugin;
