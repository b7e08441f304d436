import { createHash } from 'crypto';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import {
  IngestEvent,
  IngestEventsResponse,
  ROLLED_UP_EVENT_TYPES,
  SCAN_FAILED_RULE,
  SecretMaterialFinding,
  scanSecretMaterial,
} from '@nhi-governance/plugin-nhi-common';
import { EventFactsUpdate, LifecycleRow, UsageDelta } from './store/EventStore';
import { identityKey } from './store/KnexEventStore';
import type { LedgerDraft } from '../ledger/LedgerDraft';
import { EventBatchError } from './EventBatchError';
import { canonicalJson } from '../ledger/canonicalJson';
import {
  ingestBatchSchema,
  ingestEventSchema,
  toStoredForm,
} from './eventSchema';

/** A batch accepted, and the identities whose status it may change. */
export interface IngestResult extends IngestEventsResponse {
  affectedRefs: string[];
}

interface ItemProblem {
  index: number;
  reason: string;
}

const attributesOf = (e: IngestEvent) =>
  Object.fromEntries(
    Object.entries({
      count: e.count,
      sourceIp: e.sourceIp,
      region: e.region,
      userAgent: e.userAgent,
      actor: e.actor,
      identity: e.identity,
    }).filter(([, v]) => v !== undefined),
  );

type FactColumn = Exclude<keyof EventFactsUpdate, 'ref'>;

/** Which fact on the identity's row each lifecycle event moves forward. */
const LIFECYCLE_FACT: Record<string, FactColumn> = {
  issued: 'last_rotation_event_at',
  rotated: 'last_rotation_event_at',
  revoked: 'last_revoked_at',
  expired: 'last_expired_event_at',
  'interactive-login': 'last_login_at',
};

/** The latest of each fact per identity over a batch. */
class FactsCollector {
  private readonly byRef = new Map<string, EventFactsUpdate>();

  add(ref: string, column: FactColumn, value: string) {
    let update = this.byRef.get(ref);
    if (!update) {
      update = { ref };
      this.byRef.set(ref, update);
    }
    const current = update[column];
    if (!current || value > current) update[column] = value;
  }

  updates = () =>
    [...this.byRef.keys()].sort().map(ref => this.byRef.get(ref)!);
  refs = () => [...this.byRef.keys()];
}

/**
 * One row per identity a credential is declared as: the caller's id, or `id#ref` when several
 * identities share the credential.
 */
const lifecycleRowId = (id: string, ref: string, refs: string[]) =>
  refs.length > 1 ? `${id}#${ref}` : id;

const ITEM_PATH = /^events\[(\d+)\]/;

/**
 * The secret material in a batch, by item: one scan of the whole batch (a usage log delivers
 * thousands of events), each finding mapped back to its item by its path.
 */
async function secretsInEvents(
  events: unknown[],
): Promise<Map<number, SecretMaterialFinding[]>> {
  const byItem = new Map<number, SecretMaterialFinding[]>();
  const findings = await scanSecretMaterial(events, 'events');
  if (findings.some(f => f.rule === SCAN_FAILED_RULE)) {
    // The scan failed, not the sender: a 503 asks the collector to deliver the batch again.
    throw new ServiceUnavailableError(
      'Could not scan the event batch for secret material; nothing was applied, try again',
    );
  }
  for (const finding of findings) {
    const index = ITEM_PATH.exec(finding.path)?.[1];
    if (index === undefined) {
      // Only a scan that could not run names no item: refuse the batch rather than guess.
      throw new InputError(
        `Invalid event batch: ${finding.path} ${finding.reason}`,
      );
    }
    const list = byItem.get(Number(index)) ?? [];
    list.push(finding);
    byItem.set(Number(index), list);
  }
  return byItem;
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

  private async ingestBatch(
    body: unknown,
    receivedAt: DateTime,
    { scanned }: { scanned: boolean },
  ): Promise<IngestResult> {
    const batch = ingestBatchSchema.safeParse(body);
    if (!batch.success) {
      throw new InputError(
        `Invalid event batch: ${batch.error.issues
          .map(i => `${i.path.join('.') || 'body'} ${i.message}`)
          .join('; ')}`,
      );
    }
    const problems: ItemProblem[] = [];
    const secretsByItem = scanned
      ? new Map<number, SecretMaterialFinding[]>()
      : await secretsInEvents(batch.data.events);
    const parsedItems: Array<{ index: number; event: IngestEvent }> = [];
    batch.data.events.forEach((item, index) => {
      const secrets = secretsByItem.get(index);
      if (secrets) {
        problems.push(
          ...secrets.map(s => ({
            index,
            reason: `${s.path} ${s.reason}: events never carry secret values`,
          })),
        );
        return;
      }
      const parsed = ingestEventSchema.safeParse(item);
      if (!parsed.success) {
        problems.push(
          ...parsed.error.issues.map(i => ({
            index,
            reason:
              i.code === 'unrecognized_keys'
                ? i.keys
                    .map(k => `events[${index}].${k} is not an event field`)
                    .join('; ')
                : `events[${index}].${i.path.join('.')} ${i.message}`,
          })),
        );
        return;
      }
      parsedItems.push({ index, event: parsed.data });
    });
    const events = parsedItems.map(p => p.event);

    const resolved = await this.stores.events.resolveEventIdentities(events);
    for (const { index, event } of parsedItems) {
      if (!resolved.has(identityKey(event.identity))) {
        problems.push({
          index,
          reason: `events[${index}].identity names no known machine identity`,
        });
      }
    }
    const firstIndexOfId = new Map<string, number>();
    for (const { index, event } of parsedItems) {
      if (firstIndexOfId.has(event.id)) {
        problems.push({
          index,
          reason: `events[${index}].id repeats the id of events[${firstIndexOfId.get(
            event.id,
          )}]`,
        });
      } else {
        firstIndexOfId.set(event.id, index);
      }
    }
    if (problems.length > 0) {
      problems.sort((a, b) => a.index - b.index);
      throw new EventBatchError(
        `Refused ${new Set(problems.map(p => p.index)).size} of ${
          batch.data.events.length
        } events; nothing was applied: ${problems
          .map(p => p.reason)
          .join('; ')}`,
        problems,
      );
    }

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
      // Counts are added by the database and every write below goes in key order, so concurrent
      // batches (on PostgreSQL they run side by side until the ledger append) lose nothing and
      // take row locks in the same order, which rules out deadlocks between them.
      const rolledUp = events.filter(e =>
        ROLLED_UP_EVENT_TYPES.includes(e.type),
      );
      const lifecycleEvents = events.filter(
        e => !ROLLED_UP_EVENT_TYPES.includes(e.type),
      );
      const claimed = await trx.events.claimRolledUpEventIds(
        rolledUp.map(e => e.id).sort(),
        receivedAt.toUTC().toISODate()!,
      );
      // A lifecycle event about a credential declared by several identities is stored once per
      // identity as `id#ref`; any of those rows means the event was seen.
      const rowIds = (e: IngestEvent) =>
        refsOf(e).map(ref => lifecycleRowId(e.id, ref, refsOf(e)));
      const seen = await trx.events.readSeenLifecycleIds(
        lifecycleEvents.flatMap(e => [e.id, ...rowIds(e)]),
      );
      const freshRolledUp = rolledUp.filter(e => claimed.has(e.id));
      const freshLifecycle = lifecycleEvents.filter(
        e => !seen.has(e.id) && !rowIds(e).some(id => seen.has(id)),
      );

      const facts = new FactsCollector();
      const usage = new Map<string, UsageDelta>();
      const lifecycle: LifecycleRow[] = [];
      const ledger: LedgerDraft[] = [];

      for (const e of freshRolledUp) {
        const occurredAt = toStoredForm(e.occurredAt);
        const day = occurredAt.slice(0, 10);
        for (const ref of refsOf(e)) {
          const key = `${ref}\u0000${day}`;
          let delta = usage.get(key);
          if (!delta) {
            delta = {
              identityRef: ref,
              day,
              uses: 0,
              authFailures: 0,
              sources: [],
              addresses: [],
              regions: [],
              hours: 0,
            };
            usage.set(key, delta);
          }
          const count = e.count ?? 1;
          if (e.type === 'used') {
            delta.uses += count;
            if (!delta.lastUsedAt || occurredAt > delta.lastUsedAt)
              delta.lastUsedAt = occurredAt;
            delta.hours |= 1 << Number(occurredAt.slice(11, 13));
            facts.add(ref, 'last_used_at', occurredAt);
          } else {
            delta.authFailures += count;
            facts.add(ref, 'last_auth_failure_day', day);
          }
          const source = [e.sourceIp, e.region, e.userAgent]
            .filter(Boolean)
            .join(' ');
          if (source && !delta.sources.includes(source))
            delta.sources.push(source);
          if (e.sourceIp && !delta.addresses.includes(e.sourceIp))
            delta.addresses.push(e.sourceIp);
          if (e.region && !delta.regions.includes(e.region))
            delta.regions.push(e.region);
        }
      }
      for (const e of freshLifecycle) {
        const occurredAt = toStoredForm(e.occurredAt);
        const refs = refsOf(e);
        for (const ref of refs) {
          lifecycle.push({
            id: lifecycleRowId(e.id, ref, refs),
            identityRef: ref,
            type: e.type,
            occurredAt,
            attributes: attributesOf(e),
          });
          facts.add(ref, LIFECYCLE_FACT[e.type], occurredAt);
          ledger.push({
            kind: 'event.ingested',
            subject: ref,
            payload: { id: e.id, type: e.type, occurredAt, ...attributesOf(e) },
          });
        }
      }
      // Usage is recorded once per batch: counts plus a digest of the exact events, so a
      // collector's whole delivery is on the record without a ledger entry per request.
      if (freshRolledUp.length > 0) {
        const sum = (type: string) =>
          freshRolledUp
            .filter(e => e.type === type)
            .reduce((n, e) => n + (e.count ?? 1), 0);
        ledger.push({
          kind: 'usage.ingested',
          payload: {
            events: freshRolledUp.length,
            uses: sum('used'),
            authFailures: sum('auth-failed'),
            identities: new Set([...usage.values()].map(u => u.identityRef))
              .size,
            digest: createHash('sha256')
              .update(canonicalJson(freshRolledUp))
              .digest('hex'),
          },
        });
      }

      await trx.events.insertLifecycleEvents(lifecycle, at);
      await trx.events.addUsage(
        [...usage.keys()].sort().map(key => usage.get(key)!),
      );
      await trx.events.recordEventFacts(facts.updates());
      await trx.ledger.appendLedgerEntries(ledger, at);
      const fresh = freshRolledUp.length + freshLifecycle.length;
      return {
        accepted: fresh,
        duplicates: events.length - fresh,
        affectedRefs: facts.refs().sort(),
      };
    });
  }
}
