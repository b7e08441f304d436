import { createHash } from 'crypto';
import { canonicalJson } from './canonicalJson';
import type { LedgerEntry, LedgerVerification } from './types';

/** The hash that the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 of the previous hash followed by the entry's canonical JSON. `payloadJson`, when the
 * caller has it, is the payload's canonical JSON: the members are then joined in their sorted
 * order (kind, payload, recordedAt, seq, subject) without serialising the payload twice.
 */
export function hashEntry(
  entry: Omit<LedgerEntry, 'hash'>,
  payloadJson = canonicalJson(entry.payload),
): string {
  const body =
    `{"kind":${JSON.stringify(entry.kind)},"payload":${payloadJson},` +
    `"recordedAt":${JSON.stringify(entry.recordedAt)},"seq":${canonicalJson(
      entry.seq,
    )},"subject":${JSON.stringify(entry.subject ?? null)}}`;
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
 * `after` starts the check after an entry already trusted (a slice of the ledger, as in an
 * evidence package); without it the chain starts at the genesis hash.
 */
export async function verifyChain(
  entries: AsyncIterable<LedgerEntry>,
  head?: { seq: number; hash: string },
  after: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): Promise<LedgerVerification> {
  let expectedSeq = after.seq + 1;
  let prevHash = after.hash;
  for await (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return brokenAt(
        expectedSeq,
        `entry ${expectedSeq} is missing: entry ${
          entry.seq
        } comes after entry ${
          expectedSeq - 1
        } (entries were removed or reordered)`,
      );
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
