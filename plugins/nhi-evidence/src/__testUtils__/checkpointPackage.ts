import { KeyObject, generateKeyPairSync } from 'crypto';
import { signCheckpoint } from '../ledger/checkpoint';
import { publicKeyFingerprint, verifierKey } from '../ledger/signedNote';
import type { LedgerEntry } from '../ledger/types';
import {
  Draft,
  DraftAfter,
  chainOf,
  jsonl,
  manifestOf,
  samplePackage,
  signed,
  zipOf,
} from './testPackage';

export const ORIGIN = 'nhi.example.com/ledger';

/** A signing key as the backend holds it, and the public key an auditor is given. */
export function signingKey() {
  return generateKeyPairSync('ed25519');
}

/** A checkpoint note as the backend signs it. */
export const noteOf = (
  privateKey: KeyObject,
  size: number,
  hash: string,
  time = '2026-12-31T12:00:00.000Z',
) => signCheckpoint({ origin: ORIGIN, size, hash, time }, ORIGIN, privateKey);

/** A `ledger.checkpoint` entry's draft, with the note given. */
export const checkpointDraft = (
  recordedAt: string,
  note: string,
  privateKey: KeyObject,
): Draft => ({
  recordedAt,
  kind: 'ledger.checkpoint',
  subject: 'ledger',
  payload: { note, publicKeyFingerprint: publicKeyFingerprint(privateKey) },
});

/** The backend's checkpoint: the entry right after the one it signs, at the same time. */
export const checkpointAfter =
  (privateKey: KeyObject): DraftAfter =>
  previous =>
    checkpointDraft(
      previous.recordedAt,
      noteOf(privateKey, previous.seq, previous.hash, previous.recordedAt),
      privateKey,
    );

/** A ledger's entries as drafts, to chain again (hashes recomputed, as a forger would). */
export const draftsOf = (ledger: LedgerEntry[]): Draft[] =>
  ledger.map(({ seq: _s, prevHash: _p, hash: _h, ...draft }) => draft);

export type CheckpointedPackage = ReturnType<typeof samplePackage> & {
  manifest: Record<string, any>;
};

/** The package's ledger files written again from its ledger, and a manifest made for them. */
export function rewrite(
  p: ReturnType<typeof samplePackage>,
  ledger: LedgerEntry[],
): Record<string, any> {
  p.ledger.splice(0, p.ledger.length, ...ledger);
  p.files.set('ledger.jsonl', jsonl(ledger.slice(1)));
  p.files.set('ledger-identities.jsonl', jsonl(ledger.slice(0, 1)));
  return manifestOf(p.files, ledger);
}

/** The manifest carrying a checkpoint of `note`, its package hash computed again. */
export const withCheckpoint = (
  manifest: Record<string, any>,
  note: string,
  privateKey: KeyObject,
) =>
  signed({
    ...manifest,
    checkpoint: {
      note,
      publicKeyFingerprint: publicKeyFingerprint(privateKey),
      verifierKey: verifierKey(ORIGIN, privateKey),
    },
  });

/**
 * The sample package (slice: entries 2-8) with a checkpoint entry after each of its entries
 * at the given indexes (after index 0, the checkpoint is the anchor), and the manifest's
 * checkpoint of the head, all signed with `privateKey`. Answers the package and its manifest.
 */
export function checkpointedPackage(
  privateKey: KeyObject,
  after: number[] = [0, 2, 5],
): CheckpointedPackage {
  const p = samplePackage();
  const drafts: Array<Draft | DraftAfter> = [];
  draftsOf(p.ledger).forEach((draft, i) => {
    drafts.push(draft);
    if (after.includes(i)) drafts.push(checkpointAfter(privateKey));
  });
  const manifest = rewrite(p, chainOf(drafts));
  const head = manifest.ledgerHead;
  return {
    ...p,
    manifest: withCheckpoint(
      manifest,
      noteOf(privateKey, head.seq, head.hash),
      privateKey,
    ),
  };
}

export const zipped = (p: CheckpointedPackage) => zipOf(p.files, p.manifest);
