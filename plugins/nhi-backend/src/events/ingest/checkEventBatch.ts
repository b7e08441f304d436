import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { z } from 'zod';
import {
  IngestEvent,
  SCAN_FAILED_RULE,
  SecretMaterialFinding,
  scanSecretMaterial,
} from '@nhi-governance/plugin-nhi-common';
import { EventBatchError } from '../EventBatchError';
import { ingestBatchSchema, ingestEventSchema } from '../eventSchema';
import { identityKey } from '../identityKey';

export interface ItemProblem {
  index: number;
  reason: string;
}

/** An item of the batch that is a well-formed event, with its place in the batch. */
export interface ParsedItem {
  index: number;
  event: IngestEvent;
}

/** The batch's envelope; its items are checked one by one (parseItems) to list every problem. */
export function parseBatch(body: unknown): { events: unknown[] } {
  const batch = ingestBatchSchema.safeParse(body);
  if (!batch.success) {
    throw new InputError(
      `Invalid event batch: ${batch.error.issues
        .map(i => `${i.path.join('.') || 'body'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return batch.data;
}

const ITEM_PATH = /^events\[(\d+)\]/;

/**
 * The fields of a well-formed event that can hold free text. The others cannot carry secret
 * material once the schema accepted them (`type` is one of a few words, `occurredAt` a
 * timestamp that exists, `count` a number, and no other field is allowed), so a scan of a
 * well-formed event reads these alone: a third of the text.
 */
const FREE_TEXT_FIELDS = ['id', 'identity', 'region', 'userAgent', 'actor'];

/**
 * Whether a field of a well-formed event is read by the scan. An address is, only when it has
 * an IPv6 zone (`fe80::1%eth0`): node's isIP lets letters, digits, dots, colons and dashes
 * follow the `%`, room enough for a token; without one it holds only hex digits, dots and
 * colons.
 */
const mayHoldText = (key: string, value: unknown) =>
  FREE_TEXT_FIELDS.includes(key) ||
  (key === 'sourceIp' && typeof value === 'string' && value.includes('%'));

/**
 * What the scan reads of an item: a well-formed event's free-text fields, under their own
 * names and in their own order (findings name the same paths), or a malformed item whole.
 */
function scannedPart(item: unknown, wellFormed: boolean): unknown {
  if (!wellFormed) return item;
  return Object.fromEntries(
    Object.entries(item as Record<string, unknown>).filter(([key, value]) =>
      mayHoldText(key, value),
    ),
  );
}

/**
 * The secret material in a batch, by item: one scan of the whole batch (a usage log delivers
 * thousands of events), each finding mapped back to its item by its path. Items in `wellFormed`
 * (indexes of items the event schema accepted) are read for their free-text fields only.
 */
export async function secretsInEvents(
  events: unknown[],
  wellFormed: ReadonlySet<number> = new Set(),
): Promise<Map<number, SecretMaterialFinding[]>> {
  const byItem = new Map<number, SecretMaterialFinding[]>();
  const findings = await scanSecretMaterial(
    events.map((item, index) => scannedPart(item, wellFormed.has(index))),
    'events',
  );
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

type ItemCheck =
  | { index: number; event: IngestEvent }
  | { index: number; issues: z.core.$ZodIssue[] };

/**
 * Each item as an event, or the problems that keep it from being one, secrets first: every item
 * goes through the schema, then one scan of the batch reads what can hold secret material (see
 * secretsInEvents); without `scan` (text its door already scanned) the schema alone decides.
 */
export async function checkItems(
  items: unknown[],
  { scan }: { scan: boolean },
): Promise<{ parsed: ParsedItem[]; problems: ItemProblem[] }> {
  const checks: ItemCheck[] = items.map((item, index) => {
    const result = ingestEventSchema.safeParse(item);
    return result.success
      ? { index, event: result.data }
      : { index, issues: result.error.issues };
  });
  const secretsByItem = scan
    ? await secretsInEvents(
        items,
        new Set(checks.filter(c => 'event' in c).map(c => c.index)),
      )
    : new Map<number, SecretMaterialFinding[]>();
  const problems: ItemProblem[] = [];
  const parsed: ParsedItem[] = [];
  for (const check of checks) {
    const { index } = check;
    const secrets = secretsByItem.get(index);
    if (secrets) {
      problems.push(
        ...secrets.map(s => ({
          index,
          reason: `${s.path} ${s.reason}: events never carry secret values`,
        })),
      );
    } else if ('event' in check) {
      parsed.push({ index, event: check.event });
    } else {
      problems.push(...check.issues.map(i => issueProblem(index, i)));
    }
  }
  return { parsed, problems };
}

function issueProblem(index: number, i: z.core.$ZodIssue): ItemProblem {
  return {
    index,
    reason:
      i.code === 'unrecognized_keys'
        ? i.keys
            .map(k => `events[${index}].${k} is not an event field`)
            .join('; ')
        : `events[${index}].${i.path.join('.')} ${i.message}`,
  };
}

/** Events naming no known identity, then events repeating an earlier event's id. */
export function unknownOrRepeated(
  parsed: ParsedItem[],
  resolved: Map<string, string[]>,
): ItemProblem[] {
  const problems: ItemProblem[] = [];
  for (const { index, event } of parsed) {
    if (!resolved.has(identityKey(event.identity))) {
      problems.push({
        index,
        reason: `events[${index}].identity names no known machine identity`,
      });
    }
  }
  const firstIndexOfId = new Map<string, number>();
  for (const { index, event } of parsed) {
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
  return problems;
}

/** One bad item refuses the whole batch, every problem listed in item order. */
export function refuseIfAny(problems: ItemProblem[], batchSize: number) {
  if (problems.length === 0) return;
  problems.sort((a, b) => a.index - b.index);
  throw new EventBatchError(
    `Refused ${
      new Set(problems.map(p => p.index)).size
    } of ${batchSize} events; nothing was applied: ${problems
      .map(p => p.reason)
      .join('; ')}`,
    problems,
  );
}
