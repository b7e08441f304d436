import { RunningBackend, eventually, startBackend } from '../support/backend';
import { exampleEntities } from '../support/examples';

jest.setTimeout(240_000);

const identities = exampleEntities('identities.yaml');
const ref = (kind: string, name: string) => `${kind}:default/${name}`;
/** `component:payments-api` or `payments-api` → `component:default/payments-api`. */
const fullRef = (r: string, kind: string) =>
  `${kind}:default/${r.replace(/^[a-z]+:/i, '')}`;

describe('the example portal backend', () => {
  let backend: RunningBackend;
  let catalogEntities: any[];

  beforeAll(async () => {
    backend = await startBackend();
    catalogEntities = await eventually(
      'the example identities to be processed',
      async () => {
        const { items } = await backend.fetchJson(
          '/api/catalog/entities/by-query?filter=kind=machineidentity&limit=1000',
        );
        return items.length >= identities.length ? items : undefined;
      },
    );
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('serves the nhi plugin health route', async () => {
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
    expect(identities.some(i => i.spec.owner === 'group:payments')).toBe(true);
  });

  it('loads every valid example identity, and no malformed one', () => {
    const names = catalogEntities.map(e => e.metadata.name).sort();
    expect(names).toEqual(identities.map(i => i.metadata.name).sort());
    expect(names).not.toContain('broken-unknown-type');
    expect(names).not.toContain('leaky-deploy-key');
  });

  it("attaches each identity to the components that use it, seen from the component's page", async () => {
    const components = await backend.fetchJson(
      '/api/catalog/entities/by-query?filter=kind=component&limit=1000',
    );
    const dependsOn = new Map<string, string[]>(
      components.items.map((c: any) => [
        ref('component', c.metadata.name),
        c.relations
          .filter((r: any) => r.type === 'dependsOn')
          .map((r: any) => r.targetRef),
      ]),
    );
    let checked = 0;
    for (const identity of identities) {
      for (const user of identity.spec.usedBy ?? []) {
        expect(dependsOn.get(fullRef(user, 'component'))).toContain(
          ref('machineidentity', identity.metadata.name),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);

    const paymentsApi = dependsOn.get('component:default/payments-api');
    expect(paymentsApi).toEqual(
      expect.arrayContaining([
        'machineidentity:default/payments-db-writer',
        'machineidentity:default/payments-edge-tls',
      ]),
    );
  });

  it('makes each owning group ownerOf exactly the identities it owns', async () => {
    const group = await backend.fetchJson(
      '/api/catalog/entities/by-name/group/default/payments',
    );
    const owned = group.relations
      .filter(
        (r: any) =>
          r.type === 'ownerOf' && r.targetRef.startsWith('machineidentity:'),
      )
      .map((r: any) => r.targetRef)
      .sort();
    const expected = identities
      .filter(i => i.spec.owner === 'group:payments')
      .map(i => ref('machineidentity', i.metadata.name))
      .sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(owned).toEqual(expected);
  });

  it('shares one key across three components, visible from each of them', async () => {
    for (const name of [
      'analytics-ingest',
      'reporting-dashboard',
      'feature-store',
    ]) {
      const component = await backend.fetchJson(
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      expect(component.relations).toContainEqual({
        type: 'dependsOn',
        targetRef: 'machineidentity:default/shared-analytics-api-key',
      });
    }
  });

  it('puts identities in their system', async () => {
    const system = await backend.fetchJson(
      '/api/catalog/entities/by-name/system/default/payments',
    );
    expect(system.relations).toContainEqual({
      type: 'hasPart',
      targetRef: 'machineidentity:default/payments-db-writer',
    });
  });

  it('lists the malformed examples among the processing errors with a message naming the field', async () => {
    // An entity that fails before it was ever stored is listed as "pending", one that failed
    // after an earlier good version as "failed"; both carry their processing errors.
    const failed = await eventually(
      'the malformed examples to fail processing',
      async () => {
        const lists = await Promise.all(
          ['failed', 'pending'].map(r =>
            backend.fetchJson(`/api/catalog/entities/unprocessed/${r}`),
          ),
        );
        const entities = lists
          .flatMap(l => l.entities)
          .filter((e: any) => e.errors?.length);
        const names = entities.map(
          (e: any) => e.unprocessed_entity?.metadata?.name,
        );
        return names.includes('broken-unknown-type') &&
          names.includes('leaky-deploy-key')
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
  });
});
