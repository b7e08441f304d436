import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
// The whole backend is started, the nhi backend with it, to search its tables too.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import nhiPlugin from '@nhi-governance/plugin-nhi-backend';
import { catalogModuleMachineIdentity } from './module';
import { fixtureSecretsIn } from './__fixtures__/secrets/secrets';
import {
  BackendDatabases,
  backendDatabaseIds,
  backendDatabases,
  expectedDatabaseIds,
} from './__testUtils__/backendDatabases';

jest.setTimeout(180_000);

const fixture = (name: string) =>
  path.resolve(__dirname, '__fixtures__/secrets', name);

/** A root logger that keeps every line, with its fields and any error's stack. */
function recordingRootLogger(lines: string[]) {
  const logger = (fields: object = {}): any => {
    const write = (level: string) => (message: string, meta?: unknown) =>
      lines.push(
        JSON.stringify({
          level,
          message,
          ...fields,
          meta:
            meta instanceof Error
              ? `${meta.message} ${meta.stack}`
              : JSON.stringify(meta),
        }),
      );
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (more: object) => logger({ ...fields, ...more }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => logger(),
  });
}

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

/**
 * A real backend (catalog, this module, the unprocessed-entities module and the nhi backend, on
 * the backend's own database service) reads a file holding a MachineIdentity with secrets of
 * several kinds, and a file that does not parse on the line of a secret. The identity is refused,
 * and none of its secrets is in any table, log line or response.
 */
describe('a MachineIdentity refused for carrying secrets', () => {
  const databaseIds = backendDatabaseIds();

  it('runs on PostgreSQL as well as SQLite when the test command provides one', () => {
    expect(databaseIds).toEqual(expectedDatabaseIds);
  });

  describe.each(databaseIds)('on %s', databaseId => {
    const logs: string[] = [];
    const responses: string[] = [];
    let databases: BackendDatabases;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    const get = async (pathname: string, as = 'user') => {
      const res = await request(backend.server)
        .get(pathname)
        .set(
          'Authorization',
          as === 'service'
            ? mockCredentials.service.header()
            : mockCredentials.user.header(),
        );
      responses.push(`${pathname} ${res.status} ${res.text}`);
      return res;
    };
    const unprocessed = async () =>
      (
        await Promise.all(
          ['pending', 'failed'].map(
            async r =>
              (
                await get(`/api/catalog/entities/unprocessed/${r}`)
              ).body.entities as any[],
          ),
        )
      ).flat();

    // An identity declared well, then edited to carry a secret: the catalog's "failed" case.
    const edited = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-edited-')),
      'edited.yaml',
    );
    const batchIdentity = (purpose: string) =>
      [
        'apiVersion: nhi.backstage.io/v1alpha1',
        'kind: MachineIdentity',
        'metadata: { name: settlement-batch }',
        'spec:',
        '  type: api-key',
        '  owner: payments',
        `  purpose: ${purpose}`,
        '',
      ].join('\n');

    // The leaky identity again, served over HTTP: a url location's reader keeps what the parser
    // gave it in the catalog's processor cache, to answer the next read that is not modified.
    const overUrl = fs
      .readFileSync(fixture('identities.yaml'), 'utf8')
      .split('\n---\n')
      .find(doc => doc.includes('leaky-ci-deployer'))!
      .replace('leaky-ci-deployer', 'leaky-over-url');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/yaml', etag: '"v1"' });
      res.end(overUrl);
    });

    let host: string;

    beforeAll(async () => {
      fs.writeFileSync(edited, batchIdentity('Settles the day'));
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      databases = backendDatabases(databaseId);
      backend = await startTestBackend({
        features: [
          recordingRootLogger(logs),
          databaseServiceFactory,
          eventsServiceFactory,
          catalogPlugin,
          unprocessedModule,
          catalogModuleMachineIdentity,
          nhiPlugin,
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                database: databases.config,
                reading: { allow: [{ host }] },
              },
              events: { useEventBus: 'never' },
              nhi: { reviews: { scheduleCampaigns: false } },
              catalog: {
                rules: [{ allow: ['Group', 'MachineIdentity'] }],
                locations: [
                  { type: 'file', target: fixture('identities.yaml') },
                  { type: 'file', target: fixture('broken-yaml.yaml') },
                  { type: 'file', target: edited },
                  { type: 'url', target: `http://${host}/identity.yaml` },
                ],
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
      await new Promise(r => server.close(r));
      await databases?.remove();
      fs.rmSync(path.dirname(edited), { recursive: true, force: true });
    });

    it('refuses it, naming each field and why, and keeps the rest of the file', async () => {
      const refused = await eventually('the refusal', async () =>
        (
          await unprocessed()
        ).find(
          e =>
            e.unprocessed_entity?.metadata?.name === 'leaky-ci-deployer' &&
            e.errors?.length,
        ),
      );
      const errors = JSON.stringify(refused.errors);
      for (const expected of [
        'MachineIdentity machineidentity:default/leaky-ci-deployer was refused because it carries secret material',
        'spec.purpose looks like a GitHub token',
        'spec.credential.password is a field for secret material',
        'metadata.annotations.deploy.example.com/ssh-key looks like a private key',
        'metadata.description looks like an AWS',
      ]) {
        expect(errors).toContain(expected);
      }
      // What the catalog keeps of it: its fields, each secret replaced by why it was taken out.
      expect(refused.unprocessed_entity.spec).toMatchObject({
        purpose: '[redacted: looks like a GitHub token]',
        credential: { password: '[redacted: is a field for secret material]' },
      });
      const { status } = await get(
        '/api/catalog/entities/by-name/machineidentity/default/leaky-ci-deployer',
      );
      expect(status).toBe(404);
      await eventually('the valid identity', async () =>
        (
          await get(
            '/api/catalog/entities/by-name/machineidentity/default/payments-db-writer',
          )
        ).status === 200
          ? true
          : undefined,
      );
    });

    it('says where the unreadable file broke, without the line it broke on', async () => {
      const location = await eventually('the YAML error', async () =>
        (
          await unprocessed()
        ).find(e =>
          JSON.stringify(e.errors ?? []).includes('broken-yaml.yaml'),
        ),
      );
      const errors = JSON.stringify(location.errors);
      expect(errors).toContain('at line 8, column 10');
      expect(fixtureSecretsIn(errors)).toEqual([]);
    });

    it('refuses an identity edited to carry a secret, keeping its last good version', async () => {
      const byName =
        '/api/catalog/entities/by-name/machineidentity/default/settlement-batch';
      await eventually('the first version', async () =>
        (await get(byName)).status === 200 ? true : undefined,
      );
      fs.writeFileSync(
        edited,
        batchIdentity(
          // secretlint's own test corpus (see identities.yaml).
          'Settles the day with 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',
        ),
      );
      // The catalog keeps serving the last good version, with the refusal in its status; the
      // edited version is kept, redacted, in the processing state (searched below).
      const kept = await eventually('the edited version to fail', async () => {
        await request(backend.server)
          .post('/api/catalog/refresh')
          .set('Authorization', mockCredentials.service.header())
          .send({ entityRef: 'machineidentity:default/settlement-batch' });
        const { body } = await get(byName);
        return JSON.stringify(body.status ?? {}).includes(
          'spec.purpose looks like a GitHub token',
        )
          ? body
          : undefined;
      });
      expect(kept.spec.purpose).toBe('Settles the day');
    });

    it('refuses it when read from a URL, and caches only the redacted read', async () => {
      const refused = await eventually('the refusal', async () =>
        (
          await unprocessed()
        ).find(
          e =>
            e.unprocessed_entity?.metadata?.name === 'leaky-over-url' &&
            e.errors?.length,
        ),
      );
      expect(JSON.stringify(refused.errors)).toContain(
        'spec.purpose looks like a GitHub token',
      );
      // The reader's cache of that read is in the processing state of the url location.
      const cached = await eventually('the url reader cache', async () => {
        const stored = await databases.dump();
        return stored
          .split('\n')
          .find(
            line => line.includes('etag') && line.includes('leaky-over-url'),
          );
      });
      expect(cached).toContain('[redacted: looks like a GitHub token]');
      expect(fixtureSecretsIn(cached)).toEqual([]);
    });

    it('lets the nhi backend read the catalog without meeting a secret', async () => {
      const refs = await eventually(
        'the nhi backend to read the catalog',
        async () => {
          const refreshed = await request(backend.server)
            .post('/api/nhi/refresh')
            .set('Authorization', mockCredentials.service.header());
          expect(refreshed.status).toBe(200);
          const { body } = await get(
            '/api/nhi/identities?limit=100',
            'service',
          );
          return body.items.length >= 2
            ? body.items.map((i: any) => i.ref)
            : undefined;
        },
      );
      expect(refs.sort()).toEqual([
        'machineidentity:default/payments-db-writer',
        'machineidentity:default/settlement-batch',
      ]);
    });

    it('keeps none of its secrets in any table of any database the backend created', async () => {
      expect(await databases.names()).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/catalog/),
          expect.stringMatching(/nhi/),
        ]),
      );
      const stored = await databases.dump();
      // Every table is in it: the catalog's processing state, its final entities and search
      // index, and the nhi backend's own tables.
      for (const table of [
        'refresh_state',
        'final_entities',
        'search',
        'relations',
        'nhi_identities',
        'nhi_ledger',
      ]) {
        expect(stored).toMatch(new RegExp(`^## (public\\.)?${table}$`, 'm'));
      }
      // The dump holds the refused entity (so it is searched), as redacted.
      expect(stored).toContain('leaky-ci-deployer');
      expect(stored).toContain('[redacted: looks like a GitHub token]');
      expect(fixtureSecretsIn(stored)).toEqual([]);
    });

    it('logs none of them', () => {
      expect(logs.join('\n')).toContain('leaky-ci-deployer');
      expect(fixtureSecretsIn(logs.join('\n'))).toEqual([]);
    });

    it('returns none of them from the catalog', async () => {
      for (const pathname of [
        '/api/catalog/entities',
        '/api/catalog/entities/by-query?limit=500',
        '/api/catalog/entity-facets?facet=metadata.description&facet=spec.purpose',
        '/api/catalog/locations',
        '/api/catalog/entities/by-name/machineidentity/default/leaky-ci-deployer',
      ]) {
        await get(pathname);
      }
      await unprocessed();
      // A dry run of adding a location reads it as the catalog would, and answers with the
      // refusal.
      const dryRun = await request(backend.server)
        .post('/api/catalog/locations?dryRun=true')
        .set('Authorization', mockCredentials.user.header())
        .send({ type: 'url', target: `http://${host}/other.yaml` });
      responses.push(`dry run ${dryRun.status} ${dryRun.text}`);
      expect(dryRun.status).toBe(400);
      expect(dryRun.text).toContain('spec.purpose looks like a GitHub token');
      const answered = responses.join('\n');
      expect(answered).toContain(
        '/api/catalog/entities/unprocessed/pending 200',
      );
      expect(answered).toContain('[redacted: looks like a private key]');
      expect(fixtureSecretsIn(answered)).toEqual([]);
    });
  });
});
