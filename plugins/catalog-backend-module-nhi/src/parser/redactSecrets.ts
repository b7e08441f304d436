import type { Entity } from '@backstage/catalog-model';
import {
  MACHINE_IDENTITY_KIND,
  SECRET_FIELD_NAME_RULE,
  SecretMaterialFinding,
  detectSecretMaterial,
  isRedactionMarker,
  redactionMarker,
  scanSecretMaterial,
} from '@nhi-governance/plugin-nhi-common';

type Holder = Record<string, unknown> | unknown[];
interface Place {
  holder: Holder;
  key: string | number;
}

/** Whether the catalog's parser redacts this entity: any spelling of the kind, any apiVersion. */
export function isMachineIdentityKind(entity: unknown): boolean {
  const kind = (entity as { kind?: unknown } | undefined)?.kind;
  return (
    typeof kind === 'string' &&
    kind.toLowerCase() === MACHINE_IDENTITY_KIND.toLowerCase()
  );
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Every place in the entity under the dotted path the secret scan reports it by. A key with a dot
 * in it (`example.com/key`) can give two places one path; both are redacted. The walk keeps its
 * own stack: a declaration nested thousands deep cannot overflow the call stack.
 */
function placesByPath(entity: Entity): Map<string, Place[]> {
  const places = new Map<string, Place[]>();
  const seen = new Set<object>();
  const stack: Array<{ node: unknown; path: string }> = [
    { node: entity, path: '' },
  ];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const holder = node as Holder;
    const keys: Array<string | number> = Array.isArray(holder)
      ? holder.map((_, i) => i)
      : Object.keys(holder);
    for (const key of keys) {
      const at = childPath(path, key);
      const list = places.get(at) ?? [];
      list.push({ holder, key });
      places.set(at, list);
      stack.push({ node: (holder as any)[key], path: at });
    }
  }
  return places;
}

/**
 * Where the secret scan looks, as the MachineIdentity validator does: every field of spec is
 * ours, so a secret-sounding field name is redacted there; the rest of metadata and any other
 * top-level field has names chosen by others, so only values count. The entity's name and
 * namespace are its identity in the catalog and are left as they are. Values are scanned in one
 * pass (secretlint's start-up is most of the cost of a small entity); field names are this
 * package's own rules, and synchronous.
 */
async function scan(entity: Entity): Promise<SecretMaterialFinding[]> {
  const {
    kind: _kind,
    metadata,
    ...rest
  } = entity as Entity & Record<string, unknown>;
  const {
    name: _name,
    namespace: _namespace,
    ...restOfMetadata
  } = (metadata ?? {}) as Record<string, unknown>;
  const secretFields = detectSecretMaterial(entity.spec, 'spec').filter(
    f => f.rule === SECRET_FIELD_NAME_RULE,
  );
  const values = await scanSecretMaterial(
    { ...rest, metadata: restOfMetadata },
    '',
    { checkFieldNames: false },
  );
  return [...secretFields, ...values];
}

/** Renames each field of `object` whose own name is secret material, keeping its value. */
async function redactFieldNames(
  object: Record<string, unknown>,
  reason: string,
): Promise<boolean> {
  const keys = Object.keys(object).filter(key => !isRedactionMarker(key));
  // All the names in one scan (secretlint's start-up is most of the cost of a short text).
  const secret = new Set<string>();
  for (const finding of await scanSecretMaterial(keys, 'keys')) {
    const index = /^keys\[(\d+)\]/.exec(finding.path)?.[1];
    // A scan that could not run names no key: none of them is kept as it is.
    if (index === undefined) keys.forEach(key => secret.add(key));
    else secret.add(keys[Number(index)]);
  }
  let renamed = 0;
  for (const key of keys) {
    if (!secret.has(key)) continue;
    renamed += 1;
    let marker = redactionMarker(reason);
    for (let n = 2; marker in object; n++) {
      marker = redactionMarker(`${reason} (${n})`);
    }
    object[marker] = object[key];
    delete object[key];
  }
  return renamed > 0;
}

/** Takes one finding out of the entity; false when it found nothing to take out. */
async function redactFinding(
  places: Map<string, Place[]>,
  finding: SecretMaterialFinding,
): Promise<boolean> {
  const at = places.get(finding.path) ?? [];
  let redacted = false;
  for (const { holder, key } of at) {
    const value = (holder as any)[key];
    if (isRedactionMarker(value)) {
      redacted = true;
    } else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      finding.rule !== SECRET_FIELD_NAME_RULE
    ) {
      // A secret in a field's name is reported at the object that holds the field.
      redacted = (await redactFieldNames(value, finding.reason)) || redacted;
    } else {
      (holder as any)[key] = redactionMarker(finding.reason);
      redacted = true;
    }
  }
  return redacted;
}

/**
 * Replaces every secret in a MachineIdentity with a marker that keeps the field and the reason
 * (`spec.purpose: "[redacted: looks like a GitHub token]"`), in place, and returns it. The
 * whole value of a field is replaced, not just the part that matched: what surrounds a secret in
 * a text often says what it opens.
 *
 * If a secret cannot be placed in the entity (a scan failure, or a path the walk cannot find),
 * nothing of the declaration is kept but its kind and name, so that a secret is never stored
 * for want of a place to redact it.
 */
export async function redactSecrets(entity: Entity): Promise<Entity> {
  const findings = await scan(entity);
  if (findings.length === 0) return entity;
  const places = placesByPath(entity);
  let complete = true;
  for (const finding of findings) {
    if (!(await redactFinding(places, finding))) complete = false;
  }
  if (complete) {
    // A second look: only markers and the names of secret fields (whose values are markers) may
    // be left.
    const left = await scan(entity);
    complete = left.every(
      f =>
        f.rule === SECRET_FIELD_NAME_RULE &&
        (places.get(f.path) ?? []).every(p =>
          isRedactionMarker((p.holder as any)[p.key]),
        ),
    );
  }
  return complete ? entity : withoutDeclaration(entity);
}

async function withoutDeclaration(entity: Entity): Promise<Entity> {
  const { name, namespace } = (entity.metadata ?? {}) as Record<string, any>;
  const apiVersionIsClean =
    (await scanSecretMaterial(entity.apiVersion)).length === 0;
  return {
    apiVersion: apiVersionIsClean
      ? entity.apiVersion
      : redactionMarker('looked like secret material'),
    kind: entity.kind,
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
    },
    spec: redactionMarker(
      'carried secret material that could not be taken out field by field',
    ) as any,
  };
}
