import {
  cleanText,
  scanSecretMaterial,
  type DiscoveredCredential,
  type LeakReport,
  type UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import type { WarnFn } from './parsers/SourceWarning';
import { removeAt } from './parsers/lenient';

/** What the screen must know of each kind of item a parser yields. */
export interface ItemShape<T> {
  /** Fields an item means nothing without: one refused leaves the whole item out. */
  required: ReadonlyArray<keyof T & string>;
  /** Fields that name a credential by its provider's id (an AWS access key id is fine there). */
  identifiers: ReadonlyArray<keyof T & string>;
  /** Fields that hold names and ids: a line break there is refused too. */
  singleLine: ReadonlyArray<keyof T & string>;
  /** A field that lets a person find the item in the file, if it passed the screen. */
  label?: keyof T & string;
}

export const CREDENTIAL_SHAPE: ItemShape<DiscoveredCredential> = {
  required: ['provider', 'externalId', 'kind', 'principal', 'active'],
  identifiers: ['externalId'],
  singleLine: ['provider', 'externalId', 'kind', 'principal', 'ownerHint'],
  label: 'externalId',
};

export const USAGE_SHAPE: ItemShape<UsageObservation> = {
  required: ['provider', 'occurredAt', 'failed'],
  identifiers: ['externalId'],
  // Every field an event keeps is single-line in its schema: a tab let through here would refuse
  // the whole batch there, and with it the run.
  singleLine: [
    'provider',
    'externalId',
    'eventId',
    'principal',
    'occurredAt',
    'userAgent',
    'region',
  ],
  label: 'eventId',
};

export const LEAK_SHAPE: ItemShape<LeakReport> = {
  required: ['scanner', 'rule'],
  identifiers: ['keyId'],
  singleLine: ['scanner', 'rule', 'keyId', 'principal', 'fingerprint'],
  label: 'fingerprint',
};

type Key = string | number;

// A time as parsers write every time they read: it cannot hold secret material.
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const pathText = (keys: Key[]) =>
  keys
    .map(k => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .replace(/^\./, '');

/**
 * Where a refused text goes: the field itself at the top of the item, or the entry of a list
 * that holds it (a scope, a finding), so that the rest of the list is kept.
 */
function dropPoint(keys: Key[]): Key[] {
  const entry = keys.findIndex(k => typeof k === 'number');
  return entry === -1 ? keys.slice(0, 1) : keys.slice(0, entry + 1);
}

/**
 * Calls `visit` with every string of a value and its path under the item, depth first. The
 * path array is the walker's own: a visitor that keeps it copies it.
 */
function eachString(
  value: unknown,
  visit: (keys: Key[], text: string) => void,
  keys: Key[] = [],
) {
  if (typeof value === 'string') {
    visit(keys, value);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      eachString(value[i], visit, keys);
      keys.pop();
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      keys.push(k);
      eachString((value as Record<string, unknown>)[k], visit, keys);
      keys.pop();
    }
  }
}

function setAt(item: object, keys: Key[], value: string) {
  let parent = item as Record<Key, unknown>;
  for (const key of keys.slice(0, -1))
    parent = parent[key] as Record<Key, unknown>;
  parent[keys[keys.length - 1]] = value;
}

/**
 * The one screen of every text a discovery file brings in, a page at a time: each string of
 * each item is put in normal form C, and a text with a control character, a lone surrogate or
 * secret material (secretlint's recommended rules and ours, one scan for the whole page) is
 * dropped from its item, which keeps the field as unknown. An item whose required field is
 * refused is left out. Each drop is a warning naming the record and the field, never the value.
 *
 * `first` is the 1-based number of the page's first item among all the parser yielded.
 */
export async function screenPage<T extends object>(
  items: T[],
  first: number,
  shape: ItemShape<T>,
  warn: WarnFn,
): Promise<T[]> {
  // Items are copied only when the screen changes them.
  const page = [...items];
  const copied = new Set<number>();
  const writable = (index: number) => {
    if (!copied.has(index)) {
      page[index] = structuredClone(page[index]);
      copied.add(index);
    }
    return page[index];
  };
  const refused = new Map<
    number,
    Map<string, { keys: Key[]; reason: string }>
  >();
  const refuse = (index: number, keys: Key[], reason: string) => {
    const point = dropPoint(keys);
    const byItem = refused.get(index) ?? new Map();
    const key = pathText(point);
    if (!byItem.has(key)) byItem.set(key, { keys: point, reason });
    refused.set(index, byItem);
  };
  const isIdentifier = (keys: Key[]) =>
    shape.identifiers.includes(keys[0] as never);
  // The distinct texts to scan for secret material, and the items holding each one: a region
  // or a service that a thousand items share is scanned once.
  const identifiers = new Map<string, Set<number>>();
  const texts = new Map<string, Set<number>>();

  items.forEach((item, index) => {
    eachString(item, (keys, text) => {
      const clean = cleanText(text, {
        multiline: !shape.singleLine.includes(keys[0] as never),
      });
      if (!clean.ok) {
        refuse(index, [...keys], clean.reason);
        return;
      }
      if (clean.text !== text) setAt(writable(index), keys, clean.text);
      if (CANONICAL_TIME.test(clean.text)) return;
      const group = isIdentifier(keys) ? identifiers : texts;
      const holders = group.get(clean.text) ?? new Set<number>();
      holders.add(index);
      group.set(clean.text, holders);
    });
  });

  const groups = {
    identifiers: [...identifiers.entries()],
    texts: [...texts.entries()],
  };
  for (const finding of await scanSecretMaterial(
    { identifiers: [...identifiers.keys()], texts: [...texts.keys()] },
    '',
    { checkFieldNames: false, identifierFields: ['identifiers'] },
  )) {
    const at = /^(identifiers|texts)\[(\d+)\]$/.exec(finding.path);
    // A page that could not be scanned is not let through: the run fails, the last good
    // state stays.
    if (!at) throw new Error(`the screen ${finding.reason}`);
    const inIdentifiers = at[1] === 'identifiers';
    const [found, holders] =
      groups[inIdentifiers ? 'identifiers' : 'texts'][Number(at[2])];
    for (const index of holders) {
      eachString(page[index], (keys, text) => {
        if (
          text.normalize('NFC') === found &&
          isIdentifier(keys) === inIdentifiers
        ) {
          refuse(index, [...keys], finding.reason);
        }
      });
    }
  }

  const kept: T[] = [];
  page.forEach((item, index) => {
    const drops = refused.get(index);
    if (!drops) {
      kept.push(item);
      return;
    }
    const labelValue = shape.label
      ? (item as Record<string, unknown>)[shape.label]
      : undefined;
    const labelRefused = shape.label && drops.has(shape.label);
    const location = `record ${first + index}${
      typeof labelValue === 'string' && !labelRefused ? ` (${labelValue})` : ''
    }`;
    const fatal = [...drops.values()].find(
      d => shape.required.includes(d.keys[0] as never) && d.keys.length === 1,
    );
    if (fatal) {
      warn({
        location,
        field: pathText(fatal.keys),
        reason: `${fatal.reason}: the record was left out, as it means nothing without this field`,
      });
      return;
    }
    const ordered = [...drops.values()].sort((a, b) =>
      pathText(a.keys).localeCompare(pathText(b.keys), undefined, {
        numeric: true,
      }),
    );
    // Later list entries first, so that removing one leaves the earlier ones where they are.
    const target = writable(index);
    for (const drop of [...ordered].reverse()) removeAt(target, drop.keys);
    for (const drop of ordered) {
      warn({
        location,
        field: pathText(drop.keys),
        reason: `${drop.reason}: ${
          drop.keys.length === 1 ? 'read as unknown' : 'left out'
        }`,
      });
    }
    kept.push(target);
  });
  return kept;
}
