import type { KeyObject } from 'crypto';
import {
  Checkpoint,
  readCheckpoint,
  verifyCheckpoint,
} from './ledger/checkpoint';
import { publicKeyFingerprint, readKey } from './ledger/signedNote';
import type { LedgerEntry } from './ledger/types';
import { LedgerHashes } from './ledgerHashes';
import type { PackageManifest } from './manifest';
import { LEDGER, MANIFEST } from './packageFiles';
import type { NotChecked, VerifyFailure, VerifySummary } from './types';
import { errorMessage } from './values';

/** The kind of ledger entry that holds a signed checkpoint of the entries before it. */
export const CHECKPOINT_KIND = 'ledger.checkpoint';

const NOT_SIGNED_BY: Omit<NotChecked, 'file'> = {
  columns: ['checkpoint signatures'],
  why: 'pass --public-key to check who signed the checkpoints',
};

const signedAt = (c: Checkpoint) => (c.time ? ` signed at ${c.time}` : '');

/**
 * The signed checkpoints of a package: those the ledger holds (`ledger.checkpoint` entries)
 * and the one the manifest carries. A checkpoint's hash is compared with the slice even
 * without the key: a ledger rewritten, its hashes recomputed, no longer has the hash its
 * checkpoint signed. Only with the key is the checkpoint itself known to be genuine.
 */
export class LedgerCheckpoints {
  private readonly hashes = new LedgerHashes();
  private readonly fingerprint?: string;
  private count = 0;
  private lastSize?: number;

  constructor(
    private readonly publicKey: KeyObject | undefined,
    private readonly fail: (failure: VerifyFailure) => void,
  ) {
    this.fingerprint = publicKey && publicKeyFingerprint(publicKey);
  }

  /** Each entry of ledger.jsonl, in the order read. */
  onEntry(entry: LedgerEntry) {
    this.hashes.add(entry);
    if (entry.kind === CHECKPOINT_KIND) this.checkEntry(entry);
  }

  private checkEntry(entry: LedgerEntry) {
    const { seq } = entry;
    const fail = (reason: string) =>
      this.fail({ file: LEDGER, seq, reason: `entry ${seq}: ${reason}` });
    const { note, publicKeyFingerprint: named } = entry.payload;
    if (typeof note !== 'string') {
      fail('a ledger checkpoint without its signed note');
      return;
    }
    const c = this.read(note, problem =>
      fail(`its checkpoint note cannot be read: ${problem}`),
    );
    if (!c) return;
    const held = this.hashes.get(c.size);
    if (c.size >= seq) {
      fail(
        `the checkpoint${signedAt(c)} covers entry ${
          c.size
        }, not an entry before it: a checkpoint can only sign what was already written`,
      );
    } else if (held === undefined) {
      fail(
        `the checkpoint${signedAt(c)} covers entry ${
          c.size
        }, which ledger.jsonl does not hold (it starts at entry ${this.hashes
          .first!}): it cannot be compared`,
      );
    } else if (held !== c.hash) {
      fail(
        `the checkpoint${signedAt(c)} says entry ${c.size} has hash ${
          c.hash
        }, the ledger has ${held}: the ledger up to entry ${
          c.size
        } was rewritten after the checkpoint was signed`,
      );
    }
    this.checkSignature(note, c, named, fail);
  }

  /**
   * The checkpoint the manifest carries signs the head it records. `carriesOne` tells a
   * manifest without a checkpoint from one whose checkpoint was malformed (already failed).
   */
  checkManifest(manifest: PackageManifest, carriesOne: boolean) {
    const fail = (reason: string) => this.fail({ file: MANIFEST, reason });
    const signed = manifest.checkpoint;
    if (!signed) {
      if (this.publicKey && !carriesOne) {
        fail(
          'carries no signed checkpoint: it was exported without a signing key, or the checkpoint was removed',
        );
      }
      return;
    }
    const c = this.read(signed.note, problem =>
      fail(`checkpoint.note cannot be read: ${problem}`),
    );
    if (!c) return;
    const head = manifest.ledgerHead;
    if (!head || head.seq !== c.size || head.hash !== c.hash) {
      fail(
        `the checkpoint${signedAt(c)} signs entry ${c.size} with hash ${
          c.hash
        }, but ledgerHead ${
          head ? `is entry ${head.seq} with hash ${head.hash}` : 'is missing'
        }: the manifest's head is not the one signed at export`,
      );
    }
    this.checkVerifierKey(signed);
    this.checkSignature(signed.note, c, signed.publicKeyFingerprint, fail);
  }

  /** What a note says, counted; or undefined, the problem reported. */
  private read(note: string, fail: (problem: string) => void) {
    const c = readCheckpoint(note);
    if ('problem' in c) {
      fail(c.problem);
      return undefined;
    }
    this.count++;
    this.lastSize = Math.max(this.lastSize ?? 0, c.size);
    return c;
  }

  private checkSignature(
    note: string,
    c: Checkpoint,
    named: unknown,
    fail: (reason: string) => void,
  ) {
    if (!this.publicKey) return;
    const verified = verifyCheckpoint(note, this.publicKey);
    if (!('problem' in verified)) return;
    const naming =
      typeof named === 'string' && named !== this.fingerprint
        ? ` (it names the key ${named})`
        : '';
    fail(`the checkpoint${signedAt(c)} ${verified.problem}${naming}`);
  }

  /**
   * The manifest's verifier key must be the key it names. The key to check signatures with is
   * never taken from the package (whoever rewrote it could sign with their own): this only
   * catches a manifest that contradicts itself.
   */
  private checkVerifierKey(signed: NonNullable<PackageManifest['checkpoint']>) {
    let fingerprint: string;
    try {
      fingerprint = publicKeyFingerprint(readKey(signed.verifierKey));
    } catch (error) {
      this.fail({
        file: MANIFEST,
        reason: `checkpoint.verifierKey cannot be read: ${errorMessage(error)}`,
      });
      return;
    }
    if (fingerprint !== signed.publicKeyFingerprint) {
      this.fail({
        file: MANIFEST,
        reason: `checkpoint.verifierKey is the key ${fingerprint}, not the ${signed.publicKeyFingerprint} its publicKeyFingerprint names`,
      });
    }
  }

  summary(): VerifySummary['checkpoints'] {
    return {
      count: this.count,
      ...(this.lastSize !== undefined ? { lastSize: this.lastSize } : {}),
      ...(this.fingerprint ? { signaturesVerifiedWith: this.fingerprint } : {}),
    };
  }

  /** Without the key, no signature was checked: said per run, as it depends on the caller. */
  notChecked(): NotChecked[] {
    if (this.publicKey) return [];
    return [
      { file: LEDGER, ...NOT_SIGNED_BY },
      { file: MANIFEST, ...NOT_SIGNED_BY },
    ];
  }
}
