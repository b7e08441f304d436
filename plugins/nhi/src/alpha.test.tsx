import type { Entity } from '@backstage/catalog-model';
import {
  OverridableFrontendPlugin,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
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

describe('the nhi plugin for the new frontend system', () => {
  const plugin: OverridableFrontendPlugin = nhiPlugin;

  it.each([
    'api:nhi',
    'entity-content:nhi/identities',
    'entity-card:nhi/identities',
    'page:nhi/security',
    'page:nhi/attestations',
    'home-page-widget:nhi/my-attestations',
  ])('provides %s', id => {
    expect(() => plugin.getExtension(id as any)).not.toThrow();
    expect(plugin.getExtension(id as any)).toBeDefined();
  });

  it('puts the pages where notifications link to, with sidebar titles', () => {
    for (const [id, path, title] of [
      [
        'page:nhi/security',
        '/machine-identities/security',
        'Machine identities',
      ],
      [
        'page:nhi/attestations',
        '/machine-identities/attestations',
        'My attestations',
      ],
    ]) {
      const tester = createExtensionTester(plugin.getExtension(id as any));
      const routePath: string = tester.get(coreExtensionData.routePath);
      const pageTitle: string | undefined = tester.get(coreExtensionData.title);
      expect(routePath).toBe(path);
      expect(pageTitle).toBe(title);
    }
  });

  it('shows the overview card only where the tab applies', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-card:nhi/identities' as any),
    );
    const filter: (entity: Entity) => boolean = tester.get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter(entityOfKind('Component'))).toBe(true);
    expect(filter(entityOfKind('Resource'))).toBe(false);
  });
});
