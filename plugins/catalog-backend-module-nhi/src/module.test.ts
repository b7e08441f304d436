import path from 'path';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModuleMachineIdentity } from './module';

jest.setTimeout(60_000);

async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error('timed out waiting for the catalog');
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('catalogModuleMachineIdentity', () => {
  it('makes the catalog accept MachineIdentity entities and relate them to their component, system and owner', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleMachineIdentity,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                { allow: ['Component', 'System', 'Group', 'MachineIdentity'] },
              ],
              locations: [
                {
                  type: 'file',
                  target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });

    const component = await eventually(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/component/default/payments-api',
      );
      const related = res.body?.relations?.some(
        (r: any) =>
          r.type === 'dependsOn' &&
          r.targetRef === 'machineidentity:default/payments-db-writer',
      );
      return related ? res.body : undefined;
    });
    expect(component.metadata.name).toBe('payments-api');

    const identity = await request(server).get(
      '/api/catalog/entities/by-name/machineidentity/default/payments-db-writer',
    );
    expect(identity.status).toBe(200);
    expect(identity.body.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/payments' },
        { type: 'dependencyOf', targetRef: 'component:default/payments-api' },
        { type: 'partOf', targetRef: 'system:default/payments' },
      ]),
    );

    const system = await eventually(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/system/default/payments',
      );
      return res.body?.relations?.some(
        (r: any) =>
          r.type === 'hasPart' &&
          r.targetRef === 'machineidentity:default/payments-db-writer',
      )
        ? res.body
        : undefined;
    });
    expect(system).toBeDefined();

    // The broken identity never reaches the catalog, and did not stop the others.
    const broken = await request(server).get(
      '/api/catalog/entities/by-name/machineidentity/default/broken-identity',
    );
    expect(broken.status).toBe(404);
  });
});
