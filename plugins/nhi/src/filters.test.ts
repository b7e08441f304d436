import type { Entity } from '@backstage/catalog-model';
import { isIdentitiesTabAvailable } from './filters';

function entityOfKind(kind: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'example' },
  };
}

describe('isIdentitiesTabAvailable', () => {
  it.each(['Component', 'System', 'Group', 'component', 'SYSTEM', 'gRoUp'])(
    'shows the tab on %s pages',
    kind => {
      expect(isIdentitiesTabAvailable(entityOfKind(kind))).toBe(true);
    },
  );

  it.each(['API', 'User', 'MachineIdentity', 'Resource', 'Domain'])(
    'hides the tab on %s pages',
    kind => {
      expect(isIdentitiesTabAvailable(entityOfKind(kind))).toBe(false);
    },
  );
});
