import { createHash } from 'crypto';
import type { DateTime } from 'luxon';
import type {
  IdentitySourceFacts,
  UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import type {
  ObjectUsageObservation,
  WarnFn,
} from '@nhi-governance/plugin-nhi-node';
import type { NhiStores } from '../../database/NhiStores';
import type { EventIngestor } from '../../events/EventIngestor';
import { ItemShape, screenPage } from '../screenItems';
import { isAuthenticationFailure } from './authenticationFailure';
import { UsageAttribution } from './UsageAttribution';
import { UsageAggregate, UsageAggregator } from './UsageAggregator';

/**
 * Records summed before a write: a write per this many records at most, and sooner once this
 * many aggregates are held, so that memory stays flat however large the object.
 */
const RECORDS_PER_WRITE = 250_000;
const AGGREGATES_PER_WRITE = 20_000;

/** What is stored of a log: the aggregates' texts pass the screen once, not every record's. */
const AGGREGATE_SHAPE: ItemShape<UsageAggregate> = {
  required: ['provider', 'day'],
  identifiers: ['externalId'],
  singleLine: [
    'provider',
    'externalId',
    'principal',
    'day',
    'sourceAddress',
    'userAgent',
    'region',
    'lastAt',
  ],
};

export interface UsageImportResult {
  observations: number;
  /** Records naming an identity, counted now. */
  attributed: number;
  counted: number;
  /** Records naming no identity the portal knows (or a principal with several live keys). */
  unattributed: number;
  /** Records without a readable time, or ahead of the clock. */
  skipped: number;
  /** Records an earlier read of the same object counted already. */
  alreadyCounted: number;
  /** Rows the records were summed into. */
  aggregates: number;
  affectedRefs: string[];
}

export type UsageFacts = NonNullable<IdentitySourceFacts['usage']>;

/** A digest of a record: what tells a replaced file from the one read before. */
const digestOf = (o: UsageObservation) =>
  createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 64);

/** The object being read: where its counting starts, and how many of its records passed. */
interface OpenObject {
  object: string;
  firstRecord: string;
  skip: number;
  seen: number;
  /** Records up to which a checkpoint is saved (or about to be). */
  written: number;
  wasComplete: boolean;
}

/** What a write saves of an object: the records it counted now, and how far the object is. */
interface PendingCheckpoint {
  from: number;
  to: number;
  firstRecord: string;
  complete: boolean;
}

/** One read of a source: its objects one after another, where each starts, and each write. */
export class ImportRun {
  readonly perIdentity = new Map<string, UsageFacts>();
  private readonly aggregator = new UsageAggregator();
  private readonly attribution: UsageAttribution;
  private readonly affected = new Set<string>();
  private readonly latestAllowed: number;
  private readonly counts = {
    observations: 0,
    attributed: 0,
    unattributed: 0,
    skipped: 0,
    alreadyCounted: 0,
    aggregates: 0,
  };
  private current?: OpenObject;
  private readonly pending = new Map<string, PendingCheckpoint>();
  private sinceWrite = 0;

  constructor(
    private readonly stores: NhiStores,
    private readonly ingestor: EventIngestor,
    private readonly source: { id: string; object: string },
    private readonly now: DateTime,
    private readonly warn: WarnFn,
  ) {
    this.attribution = new UsageAttribution(stores);
    this.latestAllowed = now.toMillis();
  }

  async add(o: ObjectUsageObservation) {
    const object = o.object ?? this.source.object;
    if (this.current?.object !== object) {
      await this.open(object, o);
    }
    const current = this.current!;
    this.counts.observations++;
    const index = current.seen++;
    if (index < current.skip) {
      this.counts.alreadyCounted++;
      return;
    }
    const at = Date.parse(o.occurredAt);
    // A record ahead of the clock would hide dormancy until that date.
    if (!(at <= this.latestAllowed)) {
      this.counts.skipped++;
    } else {
      this.aggregator.add(
        o,
        new Date(at).toISOString(),
        isAuthenticationFailure(o),
      );
    }
    if (
      ++this.sinceWrite >= RECORDS_PER_WRITE ||
      this.aggregator.size >= AGGREGATES_PER_WRITE
    ) {
      await this.write();
    }
  }

  async finish() {
    if (this.current) this.mark(this.current, false);
    if (this.pending.size || this.sinceWrite) await this.write();
  }

  /**
   * An object of a log tree read to its end: complete, so never fetched again. One that
   * yielded no record is saved complete too, with nothing counted.
   */
  done(object: string) {
    if (this.current?.object === object) {
      this.mark(this.current, true);
      this.current = undefined;
      return;
    }
    this.pending.set(object, {
      from: 1,
      to: 0,
      firstRecord: '',
      complete: true,
    });
  }

  result(): UsageImportResult {
    return {
      ...this.counts,
      counted: this.counts.attributed,
      affectedRefs: [...this.affected].sort(),
    };
  }

  /** The next object and its checkpoint: one whose first record changed is another object. */
  private async open(object: string, first: UsageObservation) {
    // An object left without `done` (its read broke off) is saved as far as it got.
    if (this.current) this.mark(this.current, false);
    const firstRecord = digestOf(first);
    const checkpoint = await this.stores.discovery.readUsageCheckpoint(
      this.source.id,
      object,
    );
    const same = checkpoint?.firstRecord === firstRecord;
    const skip = same ? checkpoint!.records : 0;
    this.current = {
      object,
      firstRecord,
      skip,
      seen: 0,
      written: skip,
      wasComplete: same && checkpoint!.complete,
    };
  }

  /** Notes how far the object is counted, for the next write to save. */
  private mark(object: OpenObject, complete: boolean) {
    const nothingNew = object.seen <= object.written;
    if (nothingNew && (!complete || object.wasComplete)) return;
    this.pending.set(object.object, {
      from: object.written + 1,
      to: object.seen,
      firstRecord: object.firstRecord,
      complete,
    });
    object.written = object.seen;
  }

  /** Screens, attributes and writes what was summed since the last write, with the checkpoints. */
  private async write() {
    if (this.current && !this.pending.get(this.current.object)?.complete) {
      this.mark(this.current, false);
    }
    const summed = await screenPage(
      this.aggregator.take(),
      1,
      AGGREGATE_SHAPE,
      this.warn,
    );
    const refs = await this.attribution.refsOf(summed);
    const writes = summed.flatMap((a, i) => {
      const ref = refs[i];
      if (!ref) {
        this.counts.unattributed += a.count;
        return [];
      }
      this.counts.attributed += a.count;
      this.tally(ref, a);
      return [{ ...a, ref }];
    });
    this.counts.aggregates += writes.length;
    const checkpoints = [...this.pending];
    this.pending.clear();
    this.sinceWrite = 0;
    const at = this.now.toUTC().toISO()!;
    const affected = await this.ingestor.addUsageAggregates(
      writes,
      {
        source: this.source.id,
        objects: checkpoints.map(([object, c]) => ({
          object,
          records: [c.from, c.to],
        })),
      },
      this.now,
      async trx => {
        for (const [object, c] of checkpoints) {
          await trx.discovery.saveUsageCheckpoint({
            sourceId: this.source.id,
            object,
            firstRecord: c.firstRecord,
            records: c.to,
            complete: c.complete,
            at,
          });
        }
      },
    );
    affected.forEach(r => this.affected.add(r));
  }

  /** Counts an aggregate into its identity's usage facts from this source. */
  private tally(ref: string, a: UsageAggregate) {
    const usage = this.perIdentity.get(ref) ?? {
      uses: 0,
      authFailures: 0,
      lastAt: a.lastAt,
    };
    if (a.authFailure) usage.authFailures += a.count;
    else usage.uses += a.count;
    if (a.lastAt > usage.lastAt) usage.lastAt = a.lastAt;
    this.perIdentity.set(ref, usage);
  }
}
