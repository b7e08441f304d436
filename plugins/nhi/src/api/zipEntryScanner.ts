import { EVIDENCE_PACKAGE_FILES } from '@nhi-governance/plugin-nhi-common';

/** The entries of an evidence package, in the order the backend writes them. */
export const EVIDENCE_PACKAGE_ENTRIES = EVIDENCE_PACKAGE_FILES;

// A ZIP local file header: the signature, then the name's length at 26 and the name at 30.
const SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const NAME_LENGTH_OFFSET = 26;
const NAME_OFFSET = 30;

/**
 * Follows a ZIP stream as it arrives and tells which of the known entries is being written.
 * Compressed data may hold the signature by chance, so only a known name that comes after the
 * last one found counts; a header split across chunks is kept until the rest arrives.
 */
export class ZipEntryScanner {
  private readonly names: readonly string[];
  private readonly longestName: number;
  private pending: Uint8Array = new Uint8Array(0);
  private lastIndex = -1;

  constructor(names: readonly string[] = EVIDENCE_PACKAGE_ENTRIES) {
    this.names = names;
    this.longestName = Math.max(...names.map(n => n.length));
  }

  /** The position of the latest entry found in `names`, -1 before the first. */
  get index(): number {
    return this.lastIndex;
  }

  /** The latest entry found, if any. */
  get entry(): string | undefined {
    return this.names[this.lastIndex];
  }

  /** Scans the next chunk; returns the entries it found, in order. */
  push(chunk: Uint8Array): string[] {
    const bytes = concat(this.pending, chunk);
    const found: string[] = [];
    // The last bytes may be the start of a signature that the next chunk completes.
    let keepFrom = Math.max(0, bytes.length - (SIGNATURE.length - 1));
    let i = bytes.indexOf(SIGNATURE[0]);
    while (i >= 0 && i + SIGNATURE.length <= bytes.length) {
      const header = this.header(bytes, i);
      if (header === 'incomplete') {
        keepFrom = i;
        break;
      }
      let next = i + 1;
      if (header) {
        this.lastIndex = header.index;
        found.push(this.names[header.index]);
        next = header.end;
        keepFrom = Math.max(keepFrom, next);
      }
      i = bytes.indexOf(SIGNATURE[0], next);
    }
    this.pending = bytes.slice(keepFrom);
    return found;
  }

  /** The known entry whose header starts at `at`, if one does and comes after the last. */
  private header(
    bytes: Uint8Array,
    at: number,
  ): { index: number; end: number } | 'incomplete' | undefined {
    if (!SIGNATURE.every((b, k) => bytes[at + k] === b)) return undefined;
    if (at + NAME_OFFSET > bytes.length) return 'incomplete';
    const nameLength =
      bytes[at + NAME_LENGTH_OFFSET] |
      (bytes[at + NAME_LENGTH_OFFSET + 1] << 8);
    if (nameLength === 0 || nameLength > this.longestName) return undefined;
    const end = at + NAME_OFFSET + nameLength;
    if (end > bytes.length) return 'incomplete';
    const index = this.names.indexOf(
      ascii(bytes, at + NAME_OFFSET, nameLength),
    );
    return index > this.lastIndex ? { index, end } : undefined;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
