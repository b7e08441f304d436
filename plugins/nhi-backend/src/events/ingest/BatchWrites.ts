import { createHash } from 'crypto';
import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import type { LedgerDraft } from '../../ledger/LedgerDraft';
import { canonicalJson } from '../../ledger/canonicalJson';
import { toStoredForm } from '../eventSchema';
import type {
  EventFactsUpdate,
  LifecycleRow,
  UsageDelta,
} from '../store/EventStore';

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

/**
 * One row per identity a credential is declared as: the caller's id, or `id#ref` when several
 * identities share the credential.
 */
export const lifecycleRowId = (id: string, ref: string, refs: string[]) =>
  refs.length > 1 ? `${id}#${ref}` : id;

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

/** Uses of one identity on one day, from one place, as a batch adds them. */
interface DayUse {
  day: string;
  count: number;
  failed: boolean;
  lastAt: string;
  hours: number;
  sourceIp?: string;
  region?: string;
  userAgent?: string;
}

/** What an aggregate of a usage log brings to an identity's day. */
export interface UsageAggregateWrite {
  day: string;
  count: number;
  authFailure: boolean;
  lastAt: string;
  hours: number;
  sourceAddress?: string;
  region?: string;
  userAgent?: string;
}

const emptyDay = (identityRef: string, day: string): UsageDelta => ({
  identityRef,
  day,
  uses: 0,
  authFailures: 0,
  sources: [],
  addresses: [],
  regions: [],
  hours: 0,
});

/**
 * What a batch's fresh events write: usage summed per identity and day, lifecycle rows, the
 * latest facts per identity, and the ledger entries; saved together in the batch's transaction.
 */
export class BatchWrites {
  private readonly facts = new FactsCollector();
  private readonly usage = new Map<string, UsageDelta>();
  private readonly lifecycle: LifecycleRow[] = [];
  private readonly ledger: LedgerDraft[] = [];

  /** A use or an authentication failure, added to each identity's day. */
  addRolledUp(e: IngestEvent, refs: string[]) {
    const occurredAt = toStoredForm(e.occurredAt);
    for (const ref of refs) {
      this.addToDay(ref, {
        day: occurredAt.slice(0, 10),
        count: e.count ?? 1,
        failed: e.type !== 'used',
        lastAt: occurredAt,
        hours: 1 << Number(occurredAt.slice(11, 13)),
        sourceIp: e.sourceIp,
        region: e.region,
        userAgent: e.userAgent,
      });
    }
  }

  /** Records of a usage log already summed per identity, day, address, agent and outcome. */
  addAggregate(ref: string, a: UsageAggregateWrite) {
    this.addToDay(ref, {
      day: a.day,
      count: a.count,
      failed: a.authFailure,
      lastAt: a.lastAt,
      hours: a.hours,
      sourceIp: a.sourceAddress,
      region: a.region,
      userAgent: a.userAgent,
    });
  }

  private addToDay(ref: string, use: DayUse) {
    const key = `${ref}\u0000${use.day}`;
    let delta = this.usage.get(key);
    if (!delta) {
      delta = emptyDay(ref, use.day);
      this.usage.set(key, delta);
    }
    if (use.failed) {
      delta.authFailures += use.count;
      this.facts.add(ref, 'last_auth_failure_day', use.day);
    } else {
      delta.uses += use.count;
      if (!delta.lastUsedAt || use.lastAt > delta.lastUsedAt)
        delta.lastUsedAt = use.lastAt;
      delta.hours |= use.hours;
      this.facts.add(ref, 'last_used_at', use.lastAt);
    }
    const source = [use.sourceIp, use.region, use.userAgent]
      .filter(Boolean)
      .join(' ');
    if (source && !delta.sources.includes(source)) delta.sources.push(source);
    if (use.sourceIp && !delta.addresses.includes(use.sourceIp))
      delta.addresses.push(use.sourceIp);
    if (use.region && !delta.regions.includes(use.region))
      delta.regions.push(use.region);
  }

  /** A lifecycle event: a row and a ledger entry per identity the credential is declared as. */
  addLifecycle(e: IngestEvent, refs: string[]) {
    const occurredAt = toStoredForm(e.occurredAt);
    for (const ref of refs) {
      this.lifecycle.push({
        id: lifecycleRowId(e.id, ref, refs),
        identityRef: ref,
        type: e.type,
        occurredAt,
        attributes: attributesOf(e),
      });
      this.facts.add(ref, LIFECYCLE_FACT[e.type], occurredAt);
      this.ledger.push({
        kind: 'event.ingested',
        subject: ref,
        payload: { id: e.id, type: e.type, occurredAt, ...attributesOf(e) },
      });
    }
  }

  /**
   * Usage is recorded once per batch: counts plus a digest of the exact events, so a
   * collector's whole delivery is on the record without a ledger entry per request.
   */
  summariseUsage(rolledUp: IngestEvent[]) {
    if (rolledUp.length === 0) return;
    const sum = (type: string) =>
      rolledUp
        .filter(e => e.type === type)
        .reduce((n, e) => n + (e.count ?? 1), 0);
    this.ledger.push({
      kind: 'usage.ingested',
      payload: {
        events: rolledUp.length,
        uses: sum('used'),
        authFailures: sum('auth-failed'),
        identities: new Set([...this.usage.values()].map(u => u.identityRef))
          .size,
        digest: createHash('sha256')
          .update(canonicalJson(rolledUp))
          .digest('hex'),
      },
    });
  }

  /**
   * A usage log's aggregates are recorded once per write: their counts, where they were read
   * (the object and the records of it), and a digest of the exact aggregates.
   */
  summariseAggregates(
    origin: Record<string, unknown>,
    aggregates: Array<UsageAggregateWrite & { ref: string }>,
  ) {
    if (aggregates.length === 0) return;
    const sum = (failed: boolean) =>
      aggregates
        .filter(a => a.authFailure === failed)
        .reduce((n, a) => n + a.count, 0);
    this.ledger.push({
      kind: 'usage.ingested',
      payload: {
        ...origin,
        aggregates: aggregates.length,
        uses: sum(false),
        authFailures: sum(true),
        identities: new Set(aggregates.map(a => a.ref)).size,
        digest: createHash('sha256')
          .update(canonicalJson(aggregates))
          .digest('hex'),
      },
    });
  }

  /** Writes everything in key order; answers the identities whose facts moved. */
  async save(trx: NhiStores, at: string): Promise<string[]> {
    await trx.events.insertLifecycleEvents(this.lifecycle, at);
    await trx.events.addUsage(
      [...this.usage.keys()].sort().map(key => this.usage.get(key)!),
    );
    await trx.events.recordEventFacts(this.facts.updates());
    await trx.ledger.appendLedgerEntries(this.ledger, at);
    return this.facts.refs().sort();
  }
}
