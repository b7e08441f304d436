import { createHash } from 'crypto';
import type { DateTime } from 'luxon';
import type {
  IdentitySourceFacts,
  UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import type { WarnFn } from '@nhi-governance/plugin-nhi-node';
import type { NhiStores } from '../../database/NhiStores';
import type { EventIngestor } from '../../events/EventIngestor';
import { ItemShape, screenPage } from '../screenItems';
import { isAuthenticationFailure } from './authenticationFailure';
import { UsageAttribution } from './UsageAttribution';
import { UsageAggregate, UsageAggregator } from './UsageAggregator';

export { isAuthenticationFailure } from './authenticationFailure';

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

type UsageFacts = NonNullable<IdentitySourceFacts['usage']>;

/** A digest of a record: what tells a replaced file from the one read before. */
const digestOf = (o: UsageObservation) =>
  createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 64);

/** One read of one object: where it starts, what it holds so far, and each write. */
class ImportRun {
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
  private firstRecord?: string;
  private skip = 0;
  private written = 0;

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

  async add(o: UsageObservation) {
    const index = this.counts.observations++;
    if (index === 0) await this.start(o);
    if (index < this.skip) {
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
      this.counts.observations - this.written >= RECORDS_PER_WRITE ||
      this.aggregator.size >= AGGREGATES_PER_WRITE
    ) {
      await this.write();
    }
  }

  async finish() {
    if (this.counts.observations > this.written) await this.write();
  }

  result(): UsageImportResult {
    return {
      ...this.counts,
      counted: this.counts.attributed,
      affectedRefs: [...this.affected].sort(),
    };
  }

  /** The object's checkpoint: an object whose first record changed is another object. */
  private async start(first: UsageObservation) {
    this.firstRecord = digestOf(first);
    const checkpoint = await this.stores.discovery.readUsageCheckpoint(
      this.source.id,
      this.source.object,
    );
    if (checkpoint?.firstRecord === this.firstRecord) {
      this.skip = checkpoint.records;
    }
    this.written = this.skip;
  }

  /** Screens, attributes and writes what was summed since the last write, with the checkpoint. */
  private async write() {
    const from = this.written;
    const upTo = this.counts.observations;
    const summed = await screenPage(
      this.aggregator.take(),
      1,
      AGGREGATE_SHAPE,
      this.warn,
    );
    const refs = await this.attribution.refsOf(summed);
    const writes = summed.flatMap((a, i) => {
      if (!refs[i]) {
        this.counts.unattributed += a.count;
        return [];
      }
      this.counts.attributed += a.count;
      this.tally(refs[i]!, a);
      return [{ ...a, ref: refs[i]! }];
    });
    this.counts.aggregates += writes.length;
    const affected = await this.ingestor.addUsageAggregates(
      writes,
      {
        source: this.source.id,
        object: this.source.object,
        records: [from + 1, upTo],
      },
      this.now,
      trx =>
        trx.discovery.saveUsageCheckpoint({
          sourceId: this.source.id,
          object: this.source.object,
          firstRecord: this.firstRecord!,
          records: upTo,
          complete: false,
          at: this.now.toUTC().toISO()!,
        }),
    );
    affected.forEach(r => this.affected.add(r));
    this.written = upTo;
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

/**
 * Counts usage logs as aggregates: records are summed per identity, day, address, user agent
 * and outcome in the stream, and only the sums are written, through the EventIngestor's usage
 * rollup (the anomaly baselines read the same days). An object's checkpoint, saved with each
 * write, says how many of its records are counted: a second read counts nothing twice, and a
 * file that grew is counted from where the last read stopped.
 */
export class UsageImporter {
  constructor(
    private readonly stores: NhiStores,
    private readonly ingestor: EventIngestor,
  ) {}

  async import(
    source: { id: string; format: string; object: string },
    observations: AsyncIterable<UsageObservation>,
    now: DateTime,
    warn: WarnFn,
  ): Promise<UsageImportResult> {
    const run = new ImportRun(this.stores, this.ingestor, source, now, warn);
    for await (const o of observations) await run.add(o);
    await run.finish();
    await this.saveUsage(source, run.perIdentity, now);
    return run.result();
  }

  /** Each identity's usage facts from this source. */
  private async saveUsage(
    source: { id: string; format: string },
    perIdentity: Map<string, UsageFacts>,
    now: DateTime,
  ): Promise<void> {
    if (!perIdentity.size) return;
    const readAt = now.toUTC().toISO()!;
    await this.stores.transaction(trx =>
      trx.sourceLinks.writeSourceLinks(
        source.id,
        [...perIdentity].map(([ref, usage]) => ({
          identityRef: ref,
          facts: { sourceId: source.id, format: source.format, readAt, usage },
        })),
      ),
    );
  }
}
