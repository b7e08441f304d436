import { InputError, ServiceUnavailableError } from '@backstage/errors';
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
 * The secret material in a batch, by item: one scan of the whole batch (a usage log delivers
 * thousands of events), each finding mapped back to its item by its path.
 */
export async function secretsInEvents(
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

/** Each item as an event, or the problems that keep it from being one (secrets first). */
export function parseItems(
  items: unknown[],
  secretsByItem: Map<number, SecretMaterialFinding[]>,
): { parsed: ParsedItem[]; problems: ItemProblem[] } {
  const problems: ItemProblem[] = [];
  const parsed: ParsedItem[] = [];
  items.forEach((item, index) => {
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
    const result = ingestEventSchema.safeParse(item);
    if (!result.success) {
      problems.push(
        ...result.error.issues.map(i => ({
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
    parsed.push({ index, event: result.data });
  });
  return { parsed, problems };
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
