import { RunningBackend, eventually, startBackend } from '../support/backend';
import {
  exampleIdentities,
  expectedRelationsToIdentities,
  waitForExampleCatalog,
} from '../support/examples';

jest.setTimeout(240_000);

const names = (entities: any[]) => entities.map(e => e.metadata.name).sort();

describe('the example portal backend', () => {
  let backend: RunningBackend;
  let relations: Map<string, string[]>;

  beforeAll(async () => {
    backend = await startBackend({ discovery: false });
    relations = await waitForExampleCatalog(backend);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('serves the nhi plugin health route without credentials', async () => {
    const res = await fetch(`${backend.baseUrl}/api/nhi/health`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('signs a guest in as a member of an owning team', async () => {
    const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const { backstageIdentity } = await res.json();
    expect(backstageIdentity.identity.userEntityRef).toBe(
      'user:default/dana.reyes',
    );
    expect(backstageIdentity.identity.ownershipEntityRefs).toContain(
      'group:default/payments',
    );
    expect(
      exampleIdentities.filter(i => i.spec.owner === 'group:payments').length,
    ).toBeGreaterThan(3);
  });

  it('loads every valid example identity, and no malformed one', async () => {
    const { items } = await backend.fetchJson(
      '/api/catalog/entities/by-query?filter=kind=machineidentity&limit=1000',
    );
    expect(names(items)).toEqual(names(exampleIdentities));
  });

  it('shows, on every component, group and system, exactly the identities related to it', () => {
    const expected = expectedRelationsToIdentities();
    expect(expected.size).toBeGreaterThan(20);
    expect(Object.fromEntries(relations)).toEqual(Object.fromEntries(expected));
  });

  it("reaches a component's identities through the component's own relations", async () => {
    const component = await backend.fetchJson(
      '/api/catalog/entities/by-name/component/default/payments-api',
    );
    expect(component.relations).toEqual(
      expect.arrayContaining([
        {
          type: 'dependsOn',
          targetRef: 'machineidentity:default/payments-db-writer',
        },
        {
          type: 'dependsOn',
          targetRef: 'machineidentity:default/payments-edge-tls',
        },
      ]),
    );
  });

  it('relates the identity itself to its owner, components and system', async () => {
    const identity = await backend.fetchJson(
      '/api/catalog/entities/by-name/machineidentity/default/payments-db-writer',
    );
    expect(identity.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/payments' },
        { type: 'dependencyOf', targetRef: 'component:default/payments-api' },
        {
          type: 'dependencyOf',
          targetRef: 'component:default/settlement-batch',
        },
        { type: 'partOf', targetRef: 'system:default/payments' },
      ]),
    );
  });

  it('shares one key across three components, visible from each of them', () => {
    for (const name of [
      'analytics-ingest',
      'reporting-dashboard',
      'feature-store',
    ]) {
      expect(relations.get(`component:default/${name}`)).toContain(
        'dependsOn machineidentity:default/shared-analytics-api-key',
      );
    }
  });

  describe('processing errors', () => {
    // An entity that fails before it was ever stored is listed as "pending", one that failed
    // after an earlier good version as "failed"; both carry their processing errors.
    const refused = async (token?: string) => {
      const lists = await Promise.all(
        ['failed', 'pending'].map(r =>
          backend.fetchJson(`/api/catalog/entities/unprocessed/${r}`, {
            token,
          }),
        ),
      );
      return lists
        .flatMap(l => l.entities)
        .filter((e: any) => e.errors?.length);
    };

    it('lists the malformed examples with a message naming the field', async () => {
      const failed = await eventually(
        'the malformed examples to fail processing',
        async () => {
          const entities = await refused(backend.serviceToken);
          const found = entities.map(
            (e: any) => e.unprocessed_entity?.metadata?.name,
          );
          return found.includes('broken-unknown-type') &&
            found.includes('leaky-deploy-key')
            ? entities
            : undefined;
        },
      );
      const errorsOf = (name: string) =>
        JSON.stringify(
          failed.find((e: any) => e.unprocessed_entity.metadata.name === name)
            .errors,
        );

      expect(errorsOf('broken-unknown-type')).toContain(
        'spec.type must be one of service-account, api-key, access-token',
      );
      const leak = errorsOf('leaky-deploy-key');
      expect(leak).toContain(
        'spec.credential.privateKey is a field for secret material',
      );
      expect(leak).toContain('secrets never belong in the catalog');
      expect(leak).not.toContain('BEGIN OPENSSH PRIVATE KEY');
      // The catalog kept the refused identity without its secret: the field, and why it went.
      const kept = failed.find(
        (e: any) => e.unprocessed_entity.metadata.name === 'leaky-deploy-key',
      ).unprocessed_entity;
      expect(kept.spec.credential.privateKey).toBe(
        '[redacted: is a field for secret material]',
      );
      expect(JSON.stringify(kept)).not.toContain('PRIVATE KEY');
    });

    // Refused declarations are for security to see: they show what each one held.
    it('are not shown to people outside security', async () => {
      for (const reason of ['failed', 'pending']) {
        const { status, body } = await backend.request(
          `/api/catalog/entities/unprocessed/${reason}`,
        );
        expect(status).toBe(403);
        expect(JSON.stringify(body)).not.toContain('PRIVATE KEY');
      }
    });
  });
});
