import { createHash } from 'crypto';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  IngestEvent,
  IngestEventsResponse,
  ROLLED_UP_EVENT_TYPES,
  detectSecretMaterial,
} from '@nhi-governance/plugin-nhi-common';
import {
  LifecycleRow,
  UsageDelta,
  addUsage,
  identityKey,
  insertLifecycleEvents,
  readSeenEventIds,
  resolveEventIdentities,
} from '../database/eventTable';
import { LedgerDraft, appendLedgerEntries } from '../database/ledgerTable';
import { canonicalJson } from '../ledger/canonicalJson';
import { ingestBatchSchema, ingestEventSchema } from './eventSchema';

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

/**
 * One row per identity a credential is declared as: the caller's id, or `id#ref` when several
 * identities share the credential.
 */
const lifecycleRowId = (id: string, ref: string, refs: string[]) =>
  refs.length > 1 ? `${id}#${ref}` : id;

/**
 * Takes batches of lifecycle and usage events. A batch is checked whole before anything is
 * written: any bad item (malformed, secret-bearing, or naming an unknown identity) refuses the
 * batch with every problem listed by index. An accepted batch is applied, with its ledger
 * entries, in one transaction; replayed ids change nothing.
 */
export class EventIngestor {
  constructor(private readonly knex: Knex) {}

  async ingest(body: unknown, receivedAt: DateTime): Promise<IngestResult> {
    const batch = ingestBatchSchema.safeParse(body);
    if (!batch.success) {
      throw new InputError(
        `Invalid event batch: ${batch.error.issues
          .map(i => `${i.path.join('.') || 'body'} ${i.message}`)
          .join('; ')}`,
      );
    }
    const problems: ItemProblem[] = [];
    const parsedItems: Array<{ index: number; event: IngestEvent }> = [];
    batch.data.events.forEach((item, index) => {
      const secrets = detectSecretMaterial(item, `events[${index}]`);
      if (secrets.length > 0) {
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

    const resolved = await resolveEventIdentities(this.knex, events);
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
      const err = new InputError(
        `Refused ${new Set(problems.map(p => p.index)).size} of ${
          batch.data.events.length
        } events; nothing was applied: ${problems
          .map(p => p.reason)
          .join('; ')}`,
      );
      throw err;
    }

    return this.apply(events, resolved, receivedAt);
  }

  private async apply(
    events: IngestEvent[],
    resolved: Map<string, string[]>,
    receivedAt: DateTime,
  ): Promise<IngestResult> {
    const at = receivedAt.toUTC().toISO()!;
    return this.knex.transaction(async trx => {
      // A lifecycle event about a credential declared by several identities is stored once per
      // identity as `id#ref`; any of those rows means the event was seen.
      const rowIds = (e: IngestEvent) => {
        const refs = resolved.get(identityKey(e.identity))!;
        return refs.map(ref => lifecycleRowId(e.id, ref, refs));
      };
      const seen = await readSeenEventIds(
        trx,
        events.flatMap(e => [e.id, ...rowIds(e)]),
      );
      const fresh = events.filter(
        e => !seen.has(e.id) && !rowIds(e).some(id => seen.has(id)),
      );

      const lifecycle: LifecycleRow[] = [];
      const usage = new Map<string, UsageDelta>();
      const rolledUpIds: Array<{ id: string; day: string }> = [];
      const ledger: LedgerDraft[] = [];
      const rolledUpIdentities = new Set<string>();

      for (const e of fresh) {
        const occurred = DateTime.fromISO(e.occurredAt, { zone: 'utc' });
        const occurredAt = occurred.toISO()!;
        const day = occurred.toISODate()!;
        const refs = resolved.get(identityKey(e.identity))!;
        if (ROLLED_UP_EVENT_TYPES.includes(e.type)) {
          rolledUpIds.push({ id: e.id, day });
          for (const ref of refs) {
            const key = `${ref}\u0000${day}`;
            const delta = usage.get(key) ?? {
              identityRef: ref,
              day,
              uses: 0,
              authFailures: 0,
              sources: [],
            };
            const count = e.count ?? 1;
            if (e.type === 'used') {
              delta.uses += count;
              delta.lastUsedAt =
                !delta.lastUsedAt || occurredAt > delta.lastUsedAt
                  ? occurredAt
                  : delta.lastUsedAt;
            } else {
              delta.authFailures += count;
            }
            const source = [e.sourceIp, e.region, e.userAgent]
              .filter(Boolean)
              .join(' ');
            if (source && !delta.sources.includes(source))
              delta.sources.push(source);
            usage.set(key, delta);
            rolledUpIdentities.add(ref);
          }
        } else {
          for (const ref of refs) {
            lifecycle.push({
              id: lifecycleRowId(e.id, ref, refs),
              identityRef: ref,
              type: e.type,
              occurredAt,
              attributes: attributesOf(e),
            });
            ledger.push({
              kind: 'event.ingested',
              subject: ref,
              payload: {
                id: e.id,
                type: e.type,
                occurredAt,
                ...attributesOf(e),
              },
            });
          }
        }
      }
      // Usage is recorded once per batch: counts plus a digest of the exact events, so a
      // collector's whole delivery is on the record without a ledger entry per request.
      const rolledUp = fresh.filter(e =>
        ROLLED_UP_EVENT_TYPES.includes(e.type),
      );
      if (rolledUp.length > 0) {
        const sum = (type: string) =>
          rolledUp
            .filter(e => e.type === type)
            .reduce((n, e) => n + (e.count ?? 1), 0);
        ledger.push({
          kind: 'usage.ingested',
          payload: {
            events: rolledUp.length,
            uses: sum('used'),
            authFailures: sum('auth-failed'),
            identities: rolledUpIdentities.size,
            digest: createHash('sha256')
              .update(canonicalJson(rolledUp))
              .digest('hex'),
          },
        });
      }

      await insertLifecycleEvents(trx, lifecycle, at);
      await addUsage(trx, [...usage.values()], rolledUpIds);
      await appendLedgerEntries(trx, ledger, at);
      const affected = new Set([
        ...lifecycle.map(l => l.identityRef),
        ...[...usage.values()].map(u => u.identityRef),
      ]);
      return {
        accepted: fresh.length,
        duplicates: events.length - fresh.length,
        affectedRefs: [...affected].sort(),
      };
    });
  }
}
