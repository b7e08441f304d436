import { isIP } from 'net';
import { z } from 'zod';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EVENT_TYPES,
  IngestEvent,
  TEXT_LIMITS,
  checkIsoDate,
  textRule,
  writtenDateExists,
} from '@nhi-governance/plugin-nhi-common';

export const MAX_BATCH = 1000;

/** Clocks drift; a few minutes ahead is a skewed clock, not a future event. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** How times are stored: ISO 8601 in UTC with milliseconds, so that they compare as text. */
const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A timestamp that parseTimestamp accepts, in the stored form. */
export const toStoredForm = (v: string) =>
  STORED_FORM.test(v) ? v : new Date(parseTimestamp(v)).toISOString();

const LATEST_MS = Date.UTC(TEXT_LIMITS.latestYear, 11, 31, 23, 59, 59, 999);

/**
 * Whether the date and hour written at the start of a timestamp exist (nhi-common's calendar
 * check), with the year as written in TEXT_LIMITS: Date.parse alone turns 2026-02-30 into
 * 2 March and 24:00 into the next day.
 */
function writtenTimeExists(v: string): boolean {
  const year = Number(v.slice(0, 4));
  return (
    year >= TEXT_LIMITS.earliestYear &&
    year <= TEXT_LIMITS.latestYear &&
    Number(v.slice(11, 13)) <= 23 &&
    writtenDateExists(v)
  );
}

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp with a date and a time that exist, in
 * the years TEXT_LIMITS allows (as written and in UTC), or NaN. The common form goes through
 * Date.parse (a collector sends thousands a second) after a check that its date exists; luxon
 * takes the rest of ISO 8601.
 */
export function parseTimestamp(v: string): number {
  if (
    STORED_FORM.test(v) ||
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(
      v,
    )
  ) {
    if (!writtenTimeExists(v)) return NaN;
    const at = Date.parse(v);
    return at >= 0 && at <= LATEST_MS ? at : NaN;
  }
  const checked = checkIsoDate(v, { time: 'required' });
  return checked.ok ? checked.value.toMillis() : NaN;
}

const TIMESTAMP_FORM =
  'must be an ISO 8601 timestamp such as 2026-11-29T10:15:00Z';

/**
 * A single-line text, in normal form C: events also arrive from usage logs, which do not pass
 * the HTTP edge, and what is stored must be the string that is ledgered.
 */
const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine(textRule())
    .transform(v => v.normalize('NFC'));

const identityRef = text(255).refine(
  v => {
    try {
      return /^machineidentity$/i.test(parseEntityRef(v).kind);
    } catch {
      return false;
    }
  },
  {
    message:
      'must be a MachineIdentity entity ref such as machineidentity:default/payments-db-writer',
  },
);

/** One event; unknown fields are refused so that nothing unexpected (a secret) is stored. */
export const ingestEventSchema: z.ZodType<IngestEvent> = z.strictObject({
  id: text(128),
  type: z.enum(EVENT_TYPES, {
    error: `must be one of ${EVENT_TYPES.join(', ')}`,
  }),
  occurredAt: z
    .string({ error: 'must be an ISO 8601 timestamp' })
    .superRefine((v, ctx) => {
      const at = parseTimestamp(v);
      if (Number.isNaN(at)) {
        // Said precisely only when refused: a 30 February, a year 0000, or not a timestamp.
        const checked = checkIsoDate(v, {
          time: 'required',
          formatMessage: TIMESTAMP_FORM,
        });
        ctx.addIssue({
          code: 'custom',
          message: checked.ok ? TIMESTAMP_FORM : checked.reason,
        });
      } else if (at > Date.now() + FUTURE_TOLERANCE_MS) {
        // A future-dated rotation or use would hide findings until that date.
        ctx.addIssue({ code: 'custom', message: 'must not be in the future' });
      }
    }),
  identity: z.union(
    [
      z.strictObject({ ref: identityRef }),
      z.strictObject({ provider: text(64), externalId: text(512) }),
    ],
    { error: 'must be { ref } or { provider, externalId }' },
  ),
  count: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000')
    .optional(),
  sourceIp: z
    .string({ error: 'must be a string' })
    .refine(v => isIP(v) !== 0, { message: 'must be an IPv4 or IPv6 address' })
    .optional(),
  region: text(64).optional(),
  userAgent: text(512).optional(),
  actor: text(255).optional(),
});

export const ingestBatchSchema = z.strictObject({
  events: z
    .array(z.unknown(), { error: 'must be a list of events' })
    .min(1, 'must hold at least one event')
    .max(MAX_BATCH, `must hold at most ${MAX_BATCH} events per request`),
});
