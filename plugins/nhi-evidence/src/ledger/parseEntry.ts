import { isRecord } from '../values';
import type { LedgerEntry } from './types';

const ENTRY_MEMBERS = new Set([
  'seq',
  'recordedAt',
  'kind',
  'subject',
  'payload',
  'prevHash',
  'hash',
]);

/** A line of a JSON Lines ledger file as an entry, or what is wrong with it. */
export function parseEntry(text: string): LedgerEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  if (!isRecord(value)) return 'is not a JSON object';
  const extra = Object.keys(value).filter(k => !ENTRY_MEMBERS.has(k));
  if (extra.length) {
    return `carries ${extra.join(', ')}, outside what its hash covers`;
  }
  const { seq, recordedAt, kind, subject, payload, prevHash, hash } = value;
  if (
    !Number.isSafeInteger(seq) ||
    seq < 1 ||
    typeof recordedAt !== 'string' ||
    typeof kind !== 'string' ||
    (subject !== undefined && typeof subject !== 'string') ||
    !isRecord(payload) ||
    typeof prevHash !== 'string' ||
    typeof hash !== 'string'
  ) {
    return 'is not a ledger entry (seq, recordedAt, kind, subject, payload, prevHash, hash)';
  }
  return value as LedgerEntry;
}
