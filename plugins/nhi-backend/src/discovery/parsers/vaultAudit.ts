import { z } from 'zod';
import type { UsageObservation } from '@nhi-governance/plugin-nhi-common';
import { streamJsonLines } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { oneOf, optionalText, timestamp } from './values';

const SOURCE = 'vault-audit';

/**
 * A request waiting for its response is dropped from memory past this many: Vault logs a
 * response for every request it answers, so only requests cut off by a restart pile up.
 */
const MAX_PENDING = 10_000;

// Vault HMACs the token, accessor and request data. They are not secrets, but say nothing
// about who acted, so they are not read. A line means nothing without its time and request;
// anything else unreadable is unknown (a line of unknown type counts as a response).
const lineSchema = z.object({
  type: oneOf(['request', 'response']).optional(),
  time: timestamp(),
  auth: z
    .object({
      display_name: optionalText(),
      entity_id: optionalText(),
      policies: z.array(z.string({ error: 'must be a policy name' })).nullish(),
    })
    .nullish(),
  request: z.object({
    id: optionalText(),
    path: z.string({ error: 'must be the request path' }).optional(),
    remote_address: optionalText(),
  }),
  error: optionalText(),
});

type Line = z.output<typeof lineSchema>;

/** Vault wraps errors as "1 error occurred:\n\t* permission denied\n\n": keep the reasons. */
const reasonOf = (error: string) => {
  const wrapped = /^\d+ errors? occurred:\s*\n\t\* ([\s\S]*?)\s*$/.exec(error);
  return wrapped ? wrapped[1].split(/\n\t\* /).join('; ') : error;
};

function* observe(line: Line): Generator<UsageObservation> {
  const { auth, request, error } = line;
  // Unauthenticated calls that worked (sys/health) say nothing about any identity.
  if (!auth?.display_name && !auth?.entity_id && !error) return;
  yield {
    eventId: request.id,
    provider: 'vault',
    externalId: auth?.entity_id,
    principal: auth?.display_name,
    occurredAt: line.time,
    sourceAddress: request.remote_address,
    action: request.path,
    failed: Boolean(error),
    errorCode: error ? reasonOf(error) : undefined,
    policies: auth?.policies?.length ? auth.policies : undefined,
  };
}

/**
 * Reads a Vault file audit device log (JSON lines). Vault writes a `request` line and then a
 * `response` line for each call; one observation is yielded per response, or per request
 * that never got one. It is `failed` when the line carries an error (a denied permission, a
 * bad secret ID on login).
 */
export async function* parseVaultAudit(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<UsageObservation> {
  const pending = new Map<string, Line>();
  for await (const item of streamJsonLines(input, SOURCE)) {
    const line = parseLenient(lineSchema, item, SOURCE, warn);
    const id = line.request.id;
    if (line.type === 'request' && id) {
      pending.set(id, line);
      if (pending.size > MAX_PENDING) {
        const [oldest, request] = pending.entries().next().value!;
        pending.delete(oldest);
        yield* observe(request);
      }
      continue;
    }
    if (id) pending.delete(id);
    yield* observe(line);
  }
  for (const request of pending.values()) yield* observe(request);
}
