import type { Hash } from 'crypto';
import type { Readable } from 'stream';
import { hashEntry } from './ledger/chain';
import { parseEntry } from './ledger/parseEntry';
import type { LedgerEntry } from './ledger/types';
import { APPROVAL_KINDS, LedgerIndex, REGISTRATION_KINDS } from './ledgerIndex';
import type { LedgerSlice } from './ledgerSlice';
import { linesOf } from './lines';
import { IDENTITIES } from './packageFiles';
import type { VerifyFailure } from './types';

/** What is wrong with one entry of ledger-identities.jsonl, if anything. */
function problemOf(entry: LedgerEntry, slice: LedgerSlice): string | undefined {
  if (hashEntry(entry) !== entry.hash) {
    return `entry ${entry.seq} was changed after it was written: its hash does not match its content`;
  }
  if (
    !(REGISTRATION_KINDS.has(entry.kind) || APPROVAL_KINDS.has(entry.kind)) ||
    !entry.subject
  ) {
    return `entry ${entry.seq} is ${entry.kind}, not an identity.registered, identity.changed, identity.approved or identity.sent-back entry with a subject`;
  }
  if (
    slice.beforePeriodSeq !== undefined &&
    entry.seq > slice.beforePeriodSeq
  ) {
    return `entry ${entry.seq} is not before the period, whose ledger starts after entry ${slice.beforePeriodSeq}`;
  }
  if (
    slice.anchor &&
    entry.seq === slice.anchor.seq &&
    entry.hash !== slice.anchor.hash
  ) {
    return `entry ${entry.seq} is not the entry ${entry.seq} that ledger.jsonl starts from`;
  }
  return undefined;
}

/**
 * ledger-identities.jsonl: for each identity of the inventory, the latest entry that
 * registered or changed it before the period, and the latest that approved it or sent it back.
 * Each proves itself by its hash; each that does is what the ledger said of the identity when
 * the period began (a registration also registers it). Answers the lines and the entries read.
 */
export async function readIdentities(
  stream: Readable,
  hash: Hash,
  slice: LedgerSlice,
  index: LedgerIndex,
  fail: (failure: VerifyFailure) => void,
): Promise<{ lines: number; entries: number }> {
  let line = 0;
  let entries = 0;
  for await (const text of linesOf(stream, hash)) {
    line++;
    const entry = parseEntry(text);
    if (typeof entry === 'string') {
      fail({ file: IDENTITIES, line, reason: `line ${line} ${entry}` });
      continue;
    }
    entries++;
    const problem = problemOf(entry, slice);
    if (problem) {
      fail({ file: IDENTITIES, seq: entry.seq, reason: problem });
    } else {
      if (REGISTRATION_KINDS.has(entry.kind)) {
        index.registered.add(entry.subject!);
      }
      index.recordState(entry);
    }
  }
  return { lines: line, entries };
}
