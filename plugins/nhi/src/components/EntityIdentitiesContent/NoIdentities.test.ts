import type { Entity } from '@backstage/catalog-model';
import { validateMachineIdentity } from '@nhi-governance/plugin-nhi-common';
import { parse } from 'yaml';
import { exampleYaml } from './NoIdentities';

const entity = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'payments', namespace: 'default' },
});

describe('exampleYaml', () => {
  it.each([
    ['Component', 'usedBy', ['component:default/payments']],
    ['System', 'system', 'system:default/payments'],
    ['Group', 'owner', 'group:default/payments'],
  ])('attaches the example to a %s through spec.%s', (kind, field, value) => {
    const example = parse(exampleYaml(entity(kind)));
    expect(example.spec[field]).toEqual(value);
  });

  it("suggests the entity's own owner as the identity's owner", () => {
    const component = { ...entity('Component'), spec: { owner: 'group:sre' } };
    expect(parse(exampleYaml(component)).spec.owner).toBe('group:sre');
  });

  it.each(['Component', 'System', 'Group'])(
    'offers a %s owner an example the catalog accepts',
    kind => {
      const result = validateMachineIdentity(parse(exampleYaml(entity(kind))));
      expect(result).toMatchObject({ valid: true });
    },
  );
});
