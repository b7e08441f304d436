import { createHash } from 'crypto';
import { isIP } from 'net';
import type { NhiStores } from '../../database/NhiStores';
import { DateTime } from 'luxon';
import type {
  IdentitySourceFacts,
  IngestEvent,
  UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import { MAX_BATCH } from '../../events/eventSchema';
import type { EventIngestor } from '../../events/EventIngestor';

import { attributeMentions } from '../attribution';
import { USAGE_PROVIDERS } from '../providerFamilies';

/**
 * A log is read again on every run; records up to this long before the latest one already
 * read may still arrive late (CloudTrail delivers within minutes, files get appended) and are
 * taken again. Their ids make a second reading count nothing; older ones are not read again.
 */
const LATE_ARRIVAL_MS = 24 * 3600_000;

export interface UsageImportResult {
  observations: number;
  /** Records naming an identity. */
  attributed: number;
  /** Of those, records counted now; the rest were counted by an earlier read. */
  counted: number;
  /** Records naming no identity the portal knows (or a principal with several live keys). */
  unattributed: number;
  /** Records older than what an earlier read counted, or ahead of the clock. */
  skipped: number;
  affectedRefs: string[];
}

/**
 * CloudTrail error codes that mean the caller could not authenticate. Any other error
 * (AccessDenied, throttling) came after the credential was accepted: still a use of it.
 */
const AWS_AUTHENTICATION_ERRORS = new Set([
  'AuthFailure',
  'ExpiredToken',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'SignatureDoesNotMatch',
]);

/** Whether a failed record is a failed authentication, rather than a use that was refused. */
export function isAuthenticationFailure(o: UsageObservation): boolean {
  if (!o.failed) return false;
  if (o.provider === 'vault') return (o.action ?? '').startsWith('auth/');
  return (
    AWS_AUTHENTICATION_ERRORS.has(o.errorCode ?? '') ||
    // A console sign-in that failed says so without an error code.
    o.errorCode === undefined
  );
}

/**
 * At most `max` UTF-16 units of `text`, cut between code points: a plain slice can split an
 * emoji's surrogate pair, and the lone half is refused by the event schema, batch and all.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const point of text) {
    if (end + point.length > max) break;
    end += point.length;
  }
  return text.slice(0, end);
}

const idOf = (sourceId: string, o: UsageObservation) =>
  `${sourceId}:${
    o.eventId ??
    createHash('sha1').update(JSON.stringify(o)).digest('base64url')
  }`.slice(0, 128);

type UsageFacts = NonNullable<IdentitySourceFacts['usage']>;

/** Counts a record attributed to `ref` into that identity's usage facts. */
function tally(
  perIdentity: Map<string, UsageFacts>,
  ref: string,
  o: UsageObservation,
  failed: boolean,
): void {
  const usage = perIdentity.get(ref) ?? {
    uses: 0,
    authFailures: 0,
    lastAt: o.occurredAt,
  };
  if (failed) usage.authFailures++;
  else usage.uses++;
  if (o.occurredAt > usage.lastAt) usage.lastAt = o.occurredAt;
  perIdentity.set(ref, usage);
}

/** The event a record attributed to `ref` becomes. */
function usageEvent(
  sourceId: string,
  o: UsageObservation,
  ref: string,
  failed: boolean,
): IngestEvent {
  return {
    id: idOf(sourceId, o),
    type: failed ? 'auth-failed' : 'used',
    occurredAt: o.occurredAt,
    identity: { ref },
    // CloudTrail names AWS services ("s3.amazonaws.com") where a caller's address goes.
    ...(o.sourceAddress && isIP(o.sourceAddress)
      ? { sourceIp: o.sourceAddress }
      : {}),
    ...(o.region ? { region: cutText(o.region, 64) } : {}),
    ...(o.userAgent ? { userAgent: cutText(o.userAgent, 512) } : {}),
  };
}

/**
 * Turns usage logs into `used` and `auth-failed` events through the EventIngestor, so they
 * are rolled up per identity per day like any collector's, with the address, region, user
 * agent and hour that anomalies are measured against.
 */
export class UsageImporter {
  constructor(
    private readonly stores: NhiStores,
    private readonly ingestor: EventIngestor,
  ) {}

  async import(
    source: { id: string; format: string },
    observations: AsyncIterable<UsageObservation>,
    now: DateTime,
  ): Promise<UsageImportResult> {
    const until = await this.stores.discovery.readUsageUntil(source.id);
    const from = until ? Date.parse(until) - LATE_ARRIVAL_MS : -Infinity;
    const latestAllowed = now.toMillis();
    const result: UsageImportResult = {
      observations: 0,
      attributed: 0,
      counted: 0,
      unattributed: 0,
      skipped: 0,
      affectedRefs: [],
    };
    const affected = new Set<string>();
    const perIdentity = new Map<string, UsageFacts>();
    let latest = until;
    let batch: UsageObservation[] = [];
    const flush = async () => {
      const refs = await attributeMentions(
        this.stores,
        batch.map(o => ({
          providers: USAGE_PROVIDERS[o.provider],
          ids: [o.externalId, o.principal].filter((v): v is string => !!v),
          principal: o.principal,
        })),
        'single',
      );
      const events: IngestEvent[] = [];
      batch.forEach((o, i) => {
        if (!refs[i].length) {
          result.unattributed++;
          return;
        }
        result.attributed++;
        const ref = refs[i][0];
        const failed = isAuthenticationFailure(o);
        tally(perIdentity, ref, o, failed);
        events.push(usageEvent(source.id, o, ref, failed));
      });
      batch = [];
      if (!events.length) return;
      // Every text here passed the page screen (screenItems) on its way from the log.
      const ingested = await this.ingestor.ingestScreened({ events }, now);
      result.counted += ingested.accepted;
      ingested.affectedRefs.forEach(r => affected.add(r));
    };
    for await (const o of observations) {
      result.observations++;
      const at = Date.parse(o.occurredAt);
      // A record ahead of the clock would hide dormancy until that date.
      if (at <= from || at > latestAllowed) {
        result.skipped++;
        continue;
      }
      if (!latest || o.occurredAt > latest) latest = o.occurredAt;
      batch.push(o);
      if (batch.length === MAX_BATCH) await flush();
    }
    await flush();
    await this.saveUsage(source, perIdentity, latest, now);
    result.affectedRefs = [...affected].sort();
    return result;
  }

  /** Each identity's usage facts from this source, and how far the log has been read. */
  private async saveUsage(
    source: { id: string; format: string },
    perIdentity: Map<string, UsageFacts>,
    latest: string | undefined,
    now: DateTime,
  ): Promise<void> {
    const readAt = now.toUTC().toISO()!;
    await this.stores.transaction(async trx => {
      await trx.sourceLinks.writeSourceLinks(
        source.id,
        [...perIdentity].map(([ref, usage]) => ({
          identityRef: ref,
          facts: { sourceId: source.id, format: source.format, readAt, usage },
        })),
      );
      if (latest) await trx.discovery.saveUsageUntil(source.id, latest);
    });
  }
}
