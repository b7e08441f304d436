import { createStores } from '../src/wiring/createStores';
import type { Knex } from 'knex';
import { EventFactsUpdate, UsageDelta } from '../src/events/store/EventStore';
import { benchRef, random } from './generate';

/**
 * The writes that accepting a batch of `used` events needs and nothing else: the identities
 * looked up, the idempotency keys claimed, daily usage and event facts upserted, one
 * transaction per batch, `concurrency` at once, from batches built beforehand. No HTTP, no
 * validation, no secret scan, no ledger entry: how fast this database on this machine can go
 * at best, to set ingest's figure against.
 */
export async function rawWriteFloor(
  knex: Knex,
  options: {
    size: number;
    events: number;
    batch: number;
    concurrency: number;
    now: number;
  },
): Promise<number> {
  const rnd = random(23);
  const batches: Array<{
    events: Array<{ id: string; ref: string; at: string }>;
    usage: UsageDelta[];
    facts: EventFactsUpdate[];
  }> = [];
  for (let start = 0; start < options.events; start += options.batch) {
    const events = Array.from(
      { length: Math.min(options.batch, options.events - start) },
      (_, i) => ({
        id: `floor-${start + i}`,
        ref: benchRef(Math.floor(rnd() * options.size)),
        at: new Date(
          options.now - (1 + Math.floor(rnd() * 43_200)) * 60_000,
        ).toISOString(),
      }),
    );
    const usage = new Map<string, UsageDelta>();
    const facts = new Map<string, EventFactsUpdate>();
    for (const e of events) {
      const day = e.at.slice(0, 10);
      const key = `${e.ref}\u0000${day}`;
      const u: UsageDelta = usage.get(key) ?? {
        identityRef: e.ref,
        day,
        uses: 0,
        authFailures: 0,
        sources: ['10.0.0.1'],
        addresses: ['10.0.0.1'],
        regions: [],
        hours: 0,
      };
      u.uses++;
      if (!u.lastUsedAt || e.at > u.lastUsedAt) u.lastUsedAt = e.at;
      usage.set(key, u);
      const f = facts.get(e.ref) ?? { ref: e.ref };
      if (!f.last_used_at || e.at > f.last_used_at) f.last_used_at = e.at;
      facts.set(e.ref, f);
    }
    batches.push({
      events,
      usage: [...usage.keys()].sort().map(k => usage.get(k)!),
      facts: [...facts.keys()].sort().map(k => facts.get(k)!),
    });
  }
  let next = 0;
  const writer = async () => {
    for (let b = batches[next++]; b; b = batches[next++]) {
      const { events, usage, facts } = b;
      await createStores(knex).events.resolveEventIdentities(
        events.map(e => ({
          id: e.id,
          type: 'used' as const,
          occurredAt: e.at,
          identity: { ref: e.ref },
        })),
      );
      await knex.transaction(async trx => {
        await createStores(trx).events.claimRolledUpEventIds(
          events.map(e => e.id).sort(),
          new Date(options.now).toISOString().slice(0, 10),
        );
        await createStores(trx).events.addUsage(usage);
        await createStores(trx).events.recordEventFacts(facts);
      });
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, writer));
  return options.events / ((performance.now() - start) / 1000);
}
