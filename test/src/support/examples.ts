import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { resolveSpecRefString } from '@nhi-governance/plugin-nhi-common';
import { REPO_ROOT, RunningBackend } from './backend';

/** The entities of one file of the example organisation, read straight from the YAML. */
export function exampleEntities(file: string): any[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8');
  return parseAllDocuments(text)
    .map(doc => doc.toJSON())
    .filter(Boolean);
}

export const exampleIdentities = exampleEntities('identities.yaml');

const identityRef = (identity: any) =>
  `machineidentity:default/${identity.metadata.name}`;

/**
 * What the catalog must show on the other end of each example identity's relations, computed
 * from the YAML alone: `component:default/payments-api` → `dependsOn machineidentity:default/…`.
 */
export function expectedRelationsToIdentities(): Map<string, string[]> {
  // A relation to an entity that does not exist (the deliberately orphaned owner) shows nowhere.
  const existing = new Set(
    ['org.yaml', 'systems.yaml', 'components.yaml']
      .flatMap(exampleEntities)
      .map(e => `${e.kind.toLowerCase()}:default/${e.metadata.name}`),
  );
  const expected = new Map<string, string[]>();
  const add = (entityRef: string, relation: string) => {
    if (existing.has(entityRef)) {
      expected.set(
        entityRef,
        [...(expected.get(entityRef) ?? []), relation].sort(),
      );
    }
  };
  for (const identity of exampleIdentities) {
    const { owner, usedBy = [], system } = identity.spec;
    add(
      resolveSpecRefString(owner, 'owner'),
      `ownerOf ${identityRef(identity)}`,
    );
    for (const user of usedBy) {
      add(
        resolveSpecRefString(user, 'usedBy'),
        `dependsOn ${identityRef(identity)}`,
      );
    }
    if (system) {
      add(
        resolveSpecRefString(system, 'system'),
        `hasPart ${identityRef(identity)}`,
      );
    }
  }
  return expected;
}

/** The relations to identities that the catalog shows on each entity, right now. */
export async function actualRelationsToIdentities(
  backend: RunningBackend,
): Promise<Map<string, string[]>> {
  const { items } = await backend.fetchJson(
    '/api/catalog/entities/by-query?filter=kind=component&filter=kind=group&filter=kind=system&limit=1000&fields=kind,metadata.name,metadata.namespace,relations',
  );
  const actual = new Map<string, string[]>();
  for (const entity of items) {
    const relations = (entity.relations ?? [])
      .filter((r: any) => r.targetRef.startsWith('machineidentity:'))
      .map((r: any) => `${r.type} ${r.targetRef}`)
      .sort();
    if (relations.length > 0) {
      const ref = `${entity.kind.toLowerCase()}:${entity.metadata.namespace}/${
        entity.metadata.name
      }`;
      actual.set(ref, relations);
    }
  }
  return actual;
}

/**
 * Waits until the catalog has processed and stitched every example identity and the relations
 * on both ends. Returns the last view of the relations either way, so that a test that still
 * finds a difference shows exactly which one.
 */
export async function waitForExampleCatalog(
  backend: RunningBackend,
  timeoutMs = 90_000,
): Promise<Map<string, string[]>> {
  const expected = JSON.stringify([...expectedRelationsToIdentities()].sort());
  const identityCount = async () =>
    (
      await backend.fetchJson(
        '/api/catalog/entities/by-query?filter=kind=machineidentity&limit=1000&fields=metadata.name',
      )
    ).items.length;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // Relations show on the other end before the identity itself is stitched: wait for both.
      const actual = await actualRelationsToIdentities(backend);
      const complete =
        JSON.stringify([...actual].sort()) === expected &&
        (await identityCount()) === exampleIdentities.length;
      if (complete || Date.now() > deadline) {
        return actual;
      }
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise(r => setTimeout(r, 500));
  }
}
