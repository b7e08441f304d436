import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import { NO_STATUS, StatusHistory, foldStatusChanges } from '../statusHistory';

/** A value as JSON in one cell; nothing is an empty cell. */
export const json = (v: unknown) =>
  v === undefined || v === null ? '' : JSON.stringify(v);

/** A stored JSON list as one cell, items separated by "; ". */
export const list = (text: string | null) =>
  text ? (JSON.parse(text) as string[]).join('; ') : '';

/** Groups a row stream into batches, to read what belongs to each batch in one query. */
export async function* batches<T>(rows: AsyncIterable<T>, size = 500) {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Identity rows a batch at a time, each with its status at the start and end of the period. */
export async function* withStatusHistory<T extends { ref: string }>(
  stores: NhiStores,
  rows: AsyncIterable<T>,
  period: PeriodBounds,
): AsyncGenerator<Array<[T, StatusHistory]>> {
  for await (const batch of batches(rows)) {
    const histories = foldStatusChanges(
      await stores.evidence.statusChangesOf(
        batch.map(r => r.ref),
        period,
      ),
      period.from,
    );
    yield batch.map(r => [r, histories.get(r.ref) ?? NO_STATUS]);
  }
}

/** The findings open at an instant, as one cell. */
export const openCodesCell = (open: Map<string, string>) =>
  [...open.keys()].sort().join('; ');

/** A time (or a day, read as its UTC midnight) if it came before `end`; otherwise nothing. */
export const before = (at: string | undefined, end: string) =>
  at && Date.parse(at) < Date.parse(end) ? at : undefined;

/** The latest of some times (days and ISO times compare as their instants), if any. */
export const latest = (...times: Array<string | undefined>) =>
  times
    .filter((t): t is string => !!t)
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .pop();
