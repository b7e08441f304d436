import type { Entity } from '@backstage/catalog-model';
import {
  OverridableFrontendPlugin,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import nhiPlugin, { entityIdentitiesContent } from './alpha';

function entityOfKind(kind: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'example' },
  };
}

// `entityIdentitiesContent` is annotated as a plain `ExtensionDefinition`, which erases its
// output types: `tester.get` is typed `never`, hence the explicit types below.
describe('entityIdentitiesContent', () => {
  it('adds an "Identities" tab at /identities', () => {
    const tester = createExtensionTester(entityIdentitiesContent);

    const path: string = tester.get(coreExtensionData.routePath);
    const title: string = tester.get(EntityContentBlueprint.dataRefs.title);
    expect(path).toBe('identities');
    expect(title).toBe('Identities');
  });

  it('shows the tab only on component, system and group pages', () => {
    const tester = createExtensionTester(entityIdentitiesContent);
    const filter: (entity: Entity) => boolean = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );

    expect(filter(entityOfKind('Component'))).toBe(true);
    expect(filter(entityOfKind('System'))).toBe(true);
    expect(filter(entityOfKind('Group'))).toBe(true);
    expect(filter(entityOfKind('API'))).toBe(false);
    expect(filter(entityOfKind('MachineIdentity'))).toBe(false);
  });

  it('is installed by the nhi plugin as entity-content:nhi/identities', () => {
    // The default export is typed `FrontendPlugin`, which hides `getExtension`.
    const plugin: OverridableFrontendPlugin = nhiPlugin;

    expect(plugin.pluginId).toBe('nhi');
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:nhi/identities'),
    );
    const path: string = tester.get(coreExtensionData.routePath);
    expect(path).toBe('identities');
  });
});
