import type { LedgerEntry } from './ledger/types';

const HASH_BYTES = 32;
const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * The hash of every entry of ledger.jsonl, by seq. A checkpoint may sign any entry before it and
 * the slice is read once, as a stream, so every hash is kept; as 32 bytes each, not as text,
 * since a slice may hold millions of entries.
 */
export class LedgerHashes {
  private firstSeq?: number;
  /** What the first entry links to: the hash of the entry before the slice, which its own hash covers. */
  private before?: string;
  private count = 0;
  private bytes = Buffer.alloc(HASH_BYTES * 1024);
  /** Hashes that are not 64 hex digits, and entries out of seq order: a broken chain, named elsewhere. */
  private readonly odd = new Map<number, string>();

  add(entry: LedgerEntry) {
    if (this.firstSeq === undefined) {
      this.firstSeq = entry.seq;
      this.before = entry.prevHash;
    }
    if (entry.seq !== this.firstSeq + this.count) {
      this.odd.set(entry.seq, entry.hash);
      return;
    }
    if (this.bytes.length < (this.count + 1) * HASH_BYTES) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    if (HEX_HASH.test(entry.hash)) {
      this.bytes.write(entry.hash, this.count * HASH_BYTES, 'hex');
    } else {
      this.odd.set(entry.seq, entry.hash);
    }
    this.count++;
  }

  /** The first seq of the slice, once an entry was read. */
  get first(): number | undefined {
    return this.firstSeq;
  }

  /** The hash of entry `seq` as the slice has it, or undefined when the slice does not hold it. */
  get(seq: number): string | undefined {
    const odd = this.odd.get(seq);
    if (odd !== undefined || this.firstSeq === undefined) return odd;
    if (seq === this.firstSeq - 1) return this.before;
    const i = seq - this.firstSeq;
    if (i < 0 || i >= this.count) return undefined;
    return this.bytes.toString('hex', i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}
