import type { KeyObject } from 'crypto';
import {
  LedgerEntry,
  LedgerVerification,
  readCheckpoint,
  verifyChain,
  verifyCheckpoint,
} from '@nhi-governance/nhi-evidence';
import type { NhiStores } from '../../database/NhiStores';
import { CHECKPOINT_KIND } from './CheckpointSigner';
import { readPublishedCheckpoints } from './publishCheckpoint';

/** A checkpoint found in the ledger or in the published file, and where. */
interface Found {
  where: string;
  note: unknown;
}

/** What the checkpoints say of the chain: at entry `size` its hash is `hash`. */
interface Claim {
  where: string;
  size: number;
  hash: string;
  time?: string;
}

export type CheckpointReport = {
  /** Checkpoints checked: those kept in the ledger, then those published to the file. */
  inLedger: number;
  published: number;
  /** The newest entry a checkpoint signed, and when. */
  latest?: { size: number; time?: string };
  /** The fingerprint of the key the signatures were checked with; none when unsigned. */
  publicKeyFingerprint?: string;
};

export type CheckedLedger = LedgerVerification & {
  checkpoints: CheckpointReport;
};

const broken = (
  entries: number,
  firstBrokenSeq: number,
  reason: string,
): LedgerVerification => ({ ok: false, entries, firstBrokenSeq, reason });

/**
 * Recomputes the chain and holds it to every signed checkpoint: each must be signed with the
 * portal's key, and the entry it names must still have the hash it signed. The chain alone
 * cannot show a history rewritten consistently from some entry on; a checkpoint signed before
 * the rewrite can, as long as one copy of it survives (the ledger's, or the published one).
 */
export async function verifyLedgerWithCheckpoints(
  stores: Pick<NhiStores, 'ledger'>,
  key?: { publicKey: KeyObject; publicKeyFingerprint: string; file?: string },
): Promise<CheckedLedger> {
  const head = await stores.ledger.readLedgerHead();
  const kept: Found[] = (
    await stores.ledger.readLedgerOfKind(CHECKPOINT_KIND)
  ).map(e => ({
    where: `the checkpoint of entry ${e.seq}`,
    note: e.payload.note,
  }));
  const published: Found[] = key?.file
    ? (await readPublishedCheckpoints(key.file)).map(p => ({
        where: `line ${p.line} of ${key.file}`,
        note: p.note,
      }))
    : [];
  const report: CheckpointReport = {
    inLedger: kept.length,
    published: published.length,
    ...(key ? { publicKeyFingerprint: key.publicKeyFingerprint } : {}),
  };
  const claims: Claim[] = [];
  for (const found of [...kept, ...published]) {
    const read = readFound(found, key?.publicKey);
    if ('problem' in read) {
      const result = broken(head.seq, 1, `${found.where} ${read.problem}`);
      return { ...result, checkpoints: report };
    }
    claims.push({ where: found.where, ...read });
    if (!report.latest || read.size > report.latest.size) {
      report.latest = { size: read.size, time: read.time };
    }
  }
  return { ...(await holdChain(stores, head, claims)), checkpoints: report };
}

/** What a found checkpoint says, its signature checked when there is a key. */
function readFound(found: Found, publicKey?: KeyObject) {
  if (typeof found.note !== 'string') {
    return { problem: 'holds no checkpoint note' };
  }
  return publicKey
    ? verifyCheckpoint(found.note, publicKey)
    : readCheckpoint(found.note);
}

/** The chain recomputed, each entry a checkpoint names compared with what it signed. */
async function holdChain(
  stores: Pick<NhiStores, 'ledger'>,
  head: { seq: number; hash: string },
  claims: Claim[],
): Promise<LedgerVerification> {
  const bySize = new Map<number, Claim[]>();
  for (const c of claims)
    bySize.set(c.size, [...(bySize.get(c.size) ?? []), c]);
  let mismatch: { claim: Claim; found: string } | undefined;
  async function* observed(): AsyncGenerator<LedgerEntry> {
    for await (const entry of stores.ledger.readLedger(1000, head.seq)) {
      for (const claim of bySize.get(entry.seq) ?? []) {
        if (!mismatch && claim.hash !== entry.hash) {
          mismatch = { claim, found: entry.hash };
        }
      }
      yield entry;
    }
  }
  const chain = await verifyChain(observed(), head);
  if (!chain.ok) return chain;
  if (mismatch) {
    const { claim } = mismatch;
    return broken(
      chain.entries,
      claim.size,
      `entry ${claim.size} is not what ${claim.where} signed${
        claim.time ? ` at ${claim.time}` : ''
      } (hash ${claim.hash}, now ${
        mismatch.found
      }): the ledger was rewritten at or before entry ${claim.size}`,
    );
  }
  const beyond = claims.find(c => c.size > head.seq);
  if (beyond) {
    return broken(
      chain.entries,
      head.seq + 1,
      `the ledger ends at entry ${head.seq}, but ${beyond.where} signed entry ${beyond.size}: entries were removed`,
    );
  }
  return chain;
}
