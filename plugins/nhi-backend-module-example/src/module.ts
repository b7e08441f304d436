import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  nhiDiscoveryExtensionPoint,
  nhiFindingRulesExtensionPoint,
} from '@nhi-governance/plugin-nhi-node';
import { parseAccessKeys } from './accessKeys/parseAccessKeys';
import { ACCESS_KEYS_FORMAT, accessKeysSettings } from './accessKeys/settings';
import { unrecordedKeyRule } from './rule/unrecordedKeyRule';

/**
 * Adds the `aws-iam-access-keys` source format and the `key-issued-unrecorded` finding rule to
 * the `nhi` backend plugin.
 *
 * @public
 */
export const nhiModuleExample = createBackendModule({
  pluginId: 'nhi',
  moduleId: 'example',
  register(env) {
    env.registerInit({
      deps: {
        discovery: nhiDiscoveryExtensionPoint,
        findingRules: nhiFindingRulesExtensionPoint,
      },
      async init({ discovery, findingRules }) {
        discovery.addSourceFormat({
          name: ACCESS_KEYS_FORMAT,
          kind: 'credentials',
          provider: 'aws',
          // list-access-keys does not say when a key was last used.
          reportsUsage: false,
          parse: parseAccessKeys,
          settingsSchema: accessKeysSettings,
        });
        findingRules.addFindingRule(unrecordedKeyRule);
      },
    });
  },
});
