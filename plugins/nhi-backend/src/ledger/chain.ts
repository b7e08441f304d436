import { createHash } from 'crypto';
import type {
  LedgerEntry,
  LedgerVerification,
} from '@nhi-governance/plugin-nhi-common';
import { canonicalJson } from './canonicalJson';

/** The hash that the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

export function hashEntry(entry: Omit<LedgerEntry, 'hash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    recordedAt: entry.recordedAt,
    kind: entry.kind,
    subject: entry.subject ?? null,
    payload: entry.payload,
  });
  return createHash('sha256').update(entry.prevHash).update(body).digest('hex');
}

const brokenAt = (seq: number, reason: string): LedgerVerification => ({
  ok: false,
  entries: seq - 1,
  firstBrokenSeq: seq,
  reason,
});

/**
 * Recomputes the chain, entry by entry in seq order, and reports the first entry whose hash,
 * link or position is wrong. Reads pages lazily, so a long ledger is never held in memory.
 */
export async function verifyChain(
  entries: AsyncIterable<LedgerEntry>,
  head?: { seq: number; hash: string },
): Promise<LedgerVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return brokenAt(expectedSeq, `entry ${expectedSeq} is missing`);
    }
    if (entry.prevHash !== prevHash) {
      return brokenAt(
        expectedSeq,
        `entry ${entry.seq} does not link to entry ${entry.seq - 1}`,
      );
    }
    if (hashEntry(entry) !== entry.hash) {
      return brokenAt(
        expectedSeq,
        `entry ${entry.seq} was changed after it was written`,
      );
    }
    prevHash = entry.hash;
    expectedSeq++;
  }
  const count = expectedSeq - 1;
  if (head && (head.seq !== count || head.hash !== prevHash)) {
    return {
      ok: false,
      entries: count,
      firstBrokenSeq: count + 1,
      reason: `the ledger ends at entry ${count} but its head records entry ${head.seq}: entries were removed`,
    };
  }
  return { ok: true, entries: count, headHash: prevHash };
}
