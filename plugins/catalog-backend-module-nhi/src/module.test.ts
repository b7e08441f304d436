import path from 'path';
import request from 'supertest';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import { catalogModuleMachineIdentity } from './module';
import { NHI_CATALOG_CHANGED_TOPIC } from '@nhi-governance/plugin-nhi-common';

/** A stand-in for the nhi backend: records what the catalog announces. */
function announcementRecorder() {
  const refs: string[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'announcement-recorder',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'recorder',
            topics: [NHI_CATALOG_CHANGED_TOPIC],
            onEvent: async ({ eventPayload }) => {
              refs.push((eventPayload as { entityRef: string }).entityRef);
            },
          });
        },
      });
    },
  });
  return { refs, plugin };
}

jest.setTimeout(120_000);

// PostgreSQL comes from scripts/test.sh (a Debian server, no Docker); it sets
// NHI_TEST_POSTGRES_ID so that a missing server fails the run instead of skipping it.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
  disableDocker: true,
});
const requiredPostgres = process.env.NHI_TEST_POSTGRES_ID as
  | TestDatabaseId
  | undefined;

async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for the catalog');
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('catalogModuleMachineIdentity', () => {
  it('runs on PostgreSQL as well as SQLite when the test command provides one', () => {
    const expected = requiredPostgres
      ? ['SQLITE_3', requiredPostgres]
      : ['SQLITE_3'];
    expect(databases.eachSupportedId().flat()).toEqual(expected);
  });

  it.each(databases.eachSupportedId())(
    'makes the catalog accept MachineIdentity entities and relate them, on %s',
    async databaseId => {
      const announced = announcementRecorder();
      const { server } = await startTestBackend({
        features: [
          announced.plugin,
          // The real events service (the test backend's mock gives each plugin its own bus).
          eventsServiceFactory,
          catalogPlugin,
          unprocessedModule,
          catalogModuleMachineIdentity,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: {
              // In-process delivery only: this test backend has no events backend to poll.
              events: { useEventBus: 'never' },
              catalog: {
                rules: [
                  {
                    allow: ['Component', 'System', 'Group', 'MachineIdentity'],
                  },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.resolve(
                      __dirname,
                      '__fixtures__/catalog.yaml',
                    ),
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

      // A relation shows on the component before the identity itself is stitched.
      const identity = await eventually(async () => {
        const res = await request(server).get(
          '/api/catalog/entities/by-name/machineidentity/default/payments-db-writer',
        );
        return res.status === 200 ? res : undefined;
      });
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

      // The broken identity is refused with a processing error and never reaches the catalog.
      const refused = await eventually(async () => {
        const res = await request(server).get(
          '/api/catalog/entities/unprocessed/pending',
        );
        return res.body?.entities?.find(
          (e: any) =>
            e.unprocessed_entity?.metadata?.name === 'broken-identity' &&
            e.errors?.length,
        );
      });
      expect(JSON.stringify(refused.errors)).toContain(
        'spec.type must be one of service-account',
      );
      const broken = await request(server).get(
        '/api/catalog/entities/by-name/machineidentity/default/broken-identity',
      );
      expect(broken.status).toBe(404);

      // The valid identity was announced on the events service, once; the refused one never.
      expect(announced.refs).toEqual([
        'machineidentity:default/payments-db-writer',
      ]);
    },
  );
});
