import type { DateTime } from 'luxon';
import {
  IngestEvent,
  IngestEventsResponse,
  ROLLED_UP_EVENT_TYPES,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../database/NhiStores';
import { identityKey } from './identityKey';
import {
  BatchWrites,
  lifecycleRowId,
  UsageAggregateWrite,
} from './ingest/BatchWrites';
import {
  checkItems,
  parseBatch,
  refuseIfAny,
  unknownOrRepeated,
} from './ingest/checkEventBatch';

/** A batch accepted, and the identities whose status it may change. */
export interface IngestResult extends IngestEventsResponse {
  affectedRefs: string[];
}

/**
 * Takes batches of lifecycle and usage events. A batch is checked whole before anything is
 * written: any bad item (malformed, secret-bearing, or naming an unknown identity) refuses the
 * batch with every problem listed by index. An accepted batch is applied, with its ledger
 * entries, in one transaction; replayed ids change nothing.
 */
export class EventIngestor {
  constructor(private readonly stores: NhiStores) {}

  /** A batch from a door that has not scanned it: the HTTP API. */
  async ingest(body: unknown, receivedAt: DateTime): Promise<IngestResult> {
    return this.ingestBatch(body, receivedAt, { scanned: false });
  }

  /**
   * A batch built from text its own door has already scanned for secret material: usage logs,
   * whose every page passed discovery's screen (screenItems) before the importer made events of
   * it. Everything else is checked as for {@link ingest}; only the second scan is skipped.
   */
  async ingestScreened(
    body: unknown,
    receivedAt: DateTime,
  ): Promise<IngestResult> {
    return this.ingestBatch(body, receivedAt, { scanned: true });
  }

  /**
   * A usage log's records, already summed into aggregates and attributed: added to each
   * identity's days in one transaction with `alsoInTransaction` (the log's checkpoint), so that
   * they are counted once whatever fails or is read again.
   */
  async addUsageAggregates(
    aggregates: Array<UsageAggregateWrite & { ref: string }>,
    origin: Record<string, unknown>,
    receivedAt: DateTime,
    alsoInTransaction: (trx: NhiStores) => Promise<void>,
  ): Promise<string[]> {
    const at = receivedAt.toUTC().toISO()!;
    return this.stores.transaction(async trx => {
      const writes = new BatchWrites();
      for (const a of aggregates) writes.addAggregate(a.ref, a);
      writes.summariseAggregates(origin, aggregates);
      const affected = await writes.save(trx, at);
      await alsoInTransaction(trx);
      return affected;
    });
  }

  private async ingestBatch(
    body: unknown,
    receivedAt: DateTime,
    { scanned }: { scanned: boolean },
  ): Promise<IngestResult> {
    const batch = parseBatch(body);
    const { parsed, problems } = await checkItems(batch.events, {
      scan: !scanned,
    });
    const events = parsed.map(p => p.event);
    const resolved = await this.stores.events.resolveEventIdentities(events);
    problems.push(...unknownOrRepeated(parsed, resolved));
    refuseIfAny(problems, batch.events.length);
    return this.apply(events, resolved, receivedAt);
  }

  private async apply(
    events: IngestEvent[],
    resolved: Map<string, string[]>,
    receivedAt: DateTime,
  ): Promise<IngestResult> {
    const at = receivedAt.toUTC().toISO()!;
    const refsByEvent = new Map(
      events.map(e => [e, resolved.get(identityKey(e.identity))!]),
    );
    const refsOf = (e: IngestEvent) => refsByEvent.get(e)!;
    return this.stores.transaction(async trx => {
      // Counts are added by the database and every write goes in key order, so concurrent
      // batches (on PostgreSQL they run side by side until the ledger append) lose nothing and
      // take row locks in the same order, which rules out deadlocks between them.
      const { rolledUp, lifecycle } = await freshEvents(
        trx,
        events,
        refsOf,
        receivedAt,
      );
      const writes = new BatchWrites();
      for (const e of rolledUp) writes.addRolledUp(e, refsOf(e));
      for (const e of lifecycle) writes.addLifecycle(e, refsOf(e));
      writes.summariseUsage(rolledUp);
      const affectedRefs = await writes.save(trx, at);
      const fresh = rolledUp.length + lifecycle.length;
      return {
        accepted: fresh,
        duplicates: events.length - fresh,
        affectedRefs,
      };
    });
  }
}

/**
 * The events of the batch not applied before: rolled-up ids are claimed for the day, and a
 * lifecycle event is seen once any of its rows is stored.
 */
async function freshEvents(
  trx: NhiStores,
  events: IngestEvent[],
  refsOf: (e: IngestEvent) => string[],
  receivedAt: DateTime,
) {
  const rolledUp = events.filter(e => ROLLED_UP_EVENT_TYPES.includes(e.type));
  const lifecycle = events.filter(e => !ROLLED_UP_EVENT_TYPES.includes(e.type));
  const claimed = await trx.events.claimRolledUpEventIds(
    rolledUp.map(e => e.id).sort(),
    receivedAt.toUTC().toISODate()!,
  );
  // A lifecycle event about a credential declared by several identities is stored once per
  // identity as `id#ref`; any of those rows means the event was seen.
  const rowIds = (e: IngestEvent) =>
    refsOf(e).map(ref => lifecycleRowId(e.id, ref, refsOf(e)));
  const seen = await trx.events.readSeenLifecycleIds(
    lifecycle.flatMap(e => [e.id, ...rowIds(e)]),
  );
  return {
    rolledUp: rolledUp.filter(e => claimed.has(e.id)),
    lifecycle: lifecycle.filter(
      e => !seen.has(e.id) && !rowIds(e).some(id => seen.has(id)),
    ),
  };
}
