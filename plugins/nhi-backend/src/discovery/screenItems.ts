import {
  cleanText,
  scanSecretMaterial,
  type DiscoveredCredential,
  type LeakReport,
  type UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import type { WarnFn } from './parsers/SourceWarning';
import { removeAt } from './parsers/lenient';
import { dropPoint, eachString, Key, pathText, setAt } from './itemPaths';

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
  singleLine: [
    'provider',
    'externalId',
    'kind',
    'principal',
    'ownerHint',
    'scope',
  ],
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

// A time as parsers write every time they read: it cannot hold secret material.
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A text refused, and where it goes: see dropPoint. */
interface Drop {
  keys: Key[];
  reason: string;
}

/** One page on its way through the screen: its items, and what was refused in each. */
class PageScreen<T extends object> {
  // Items are copied only when the screen changes them.
  private readonly page: T[];
  private readonly copied = new Set<number>();
  private readonly refused = new Map<number, Map<string, Drop>>();
  // The distinct texts to scan for secret material, and the items holding each one: a region
  // or a service that a thousand items share is scanned once.
  private readonly identifiers = new Map<string, Set<number>>();
  private readonly texts = new Map<string, Set<number>>();

  constructor(
    private readonly items: T[],
    private readonly shape: ItemShape<T>,
  ) {
    this.page = [...items];
  }

  /** Puts each text in normal form C, refusing those that cannot pass; gathers the rest to scan. */
  clean(): void {
    this.items.forEach((item, index) => {
      eachString(item, (keys, text) => {
        const clean = cleanText(text, {
          multiline: !this.shape.singleLine.includes(keys[0] as never),
        });
        if (!clean.ok) {
          this.refuse(index, [...keys], clean.reason);
          return;
        }
        if (clean.text !== text) setAt(this.writable(index), keys, clean.text);
        if (CANONICAL_TIME.test(clean.text)) return;
        const group = this.isIdentifier(keys) ? this.identifiers : this.texts;
        const holders = group.get(clean.text) ?? new Set<number>();
        holders.add(index);
        group.set(clean.text, holders);
      });
    });
  }

  /** Scans the gathered texts for secret material, and refuses each one found where it is. */
  async scan(): Promise<void> {
    const groups = {
      identifiers: [...this.identifiers.entries()],
      texts: [...this.texts.entries()],
    };
    for (const finding of await scanSecretMaterial(
      {
        identifiers: [...this.identifiers.keys()],
        texts: [...this.texts.keys()],
      },
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
        eachString(this.page[index], (keys, text) => {
          if (
            text.normalize('NFC') === found &&
            this.isIdentifier(keys) === inIdentifiers
          ) {
            this.refuse(index, [...keys], finding.reason);
          }
        });
      }
    }
  }

  /** The items kept, each without its refused texts, every drop warned of. */
  kept(first: number, warn: WarnFn): T[] {
    const kept: T[] = [];
    this.page.forEach((item, index) => {
      const drops = this.refused.get(index);
      if (!drops) {
        kept.push(item);
        return;
      }
      const location = this.locationOf(item, drops, first + index);
      const target = this.withoutDrops(index, drops, location, warn);
      if (target) kept.push(target);
    });
    return kept;
  }

  /** The record's number, and its label unless the label was refused. */
  private locationOf(item: T, drops: Map<string, Drop>, record: number) {
    const labelValue = this.shape.label
      ? (item as Record<string, unknown>)[this.shape.label]
      : undefined;
    const labelRefused = this.shape.label && drops.has(this.shape.label);
    return `record ${record}${
      typeof labelValue === 'string' && !labelRefused ? ` (${labelValue})` : ''
    }`;
  }

  /** The item without its refused texts, or nothing when a required field was refused. */
  private withoutDrops(
    index: number,
    drops: Map<string, Drop>,
    location: string,
    warn: WarnFn,
  ): T | undefined {
    const fatal = [...drops.values()].find(
      d =>
        this.shape.required.includes(d.keys[0] as never) && d.keys.length === 1,
    );
    if (fatal) {
      warn({
        location,
        field: pathText(fatal.keys),
        reason: `${fatal.reason}: the record was left out, as it means nothing without this field`,
      });
      return undefined;
    }
    const ordered = [...drops.values()].sort((a, b) =>
      pathText(a.keys).localeCompare(pathText(b.keys), undefined, {
        numeric: true,
      }),
    );
    // Later list entries first, so that removing one leaves the earlier ones where they are.
    const target = this.writable(index);
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
    return target;
  }

  private writable(index: number): T {
    if (!this.copied.has(index)) {
      this.page[index] = structuredClone(this.page[index]);
      this.copied.add(index);
    }
    return this.page[index];
  }

  private refuse(index: number, keys: Key[], reason: string): void {
    const point = dropPoint(keys);
    const byItem = this.refused.get(index) ?? new Map<string, Drop>();
    const key = pathText(point);
    if (!byItem.has(key)) byItem.set(key, { keys: point, reason });
    this.refused.set(index, byItem);
  }

  private isIdentifier(keys: Key[]): boolean {
    return this.shape.identifiers.includes(keys[0] as never);
  }
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
  const screen = new PageScreen(items, shape);
  screen.clean();
  await screen.scan();
  return screen.kept(first, warn);
}
