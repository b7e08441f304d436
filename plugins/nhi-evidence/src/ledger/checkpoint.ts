import type { KeyObject } from 'crypto';
import { openNote, parseNote, signNote } from './signedNote';

/**
 * A signed checkpoint of the ledger, in the transparency-log checkpoint format of Certificate
 * Transparency's tiles, Sigstore Rekor and Go's checksum database (C2SP tlog-checkpoint) inside
 * a signed note:
 *
 * ```
 * <origin: the log's name>
 * <size: the entries covered, i.e. the seq of the last>
 * <the hash of entry `size`, base64>
 * Time: <when it was signed, ISO 8601 UTC>
 *
 * — <key name> <base64 of key id and Ed25519 signature>
 * ```
 *
 * The ledger is a hash chain, not a Merkle tree: its "root hash" is the hash of entry `size`,
 * which commits to every entry before it. The time is an extension line, which readers of the
 * format may skip.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  /** SHA-256 in hex, as the ledger writes it. */
  hash: string;
  /** ISO 8601 UTC; a checkpoint of another log may have none. */
  time?: string;
}

const TIME_LINE =
  /^Time: (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)$/;

/** The signed text of a checkpoint, final newline included. */
export function checkpointText(c: Checkpoint): string {
  if (!c.origin || /[\n\r]/.test(c.origin)) {
    throw new Error('a checkpoint origin is one non-empty line');
  }
  const time = c.time ? `Time: ${c.time}\n` : '';
  return `${c.origin}\n${c.size}\n${Buffer.from(c.hash, 'hex').toString(
    'base64',
  )}\n${time}`;
}

/** A checkpoint as a signed note. */
export function signCheckpoint(
  c: Checkpoint,
  keyName: string,
  privateKey: KeyObject,
): string {
  return signNote(checkpointText(c), keyName, privateKey);
}

/** A checkpoint's text read back, or what is wrong with it. */
export function parseCheckpointText(
  text: string,
): Checkpoint | { problem: string } {
  const [origin, size, root, ...extensions] = text.slice(0, -1).split('\n');
  if (!origin) return { problem: 'names no origin' };
  if (!/^(0|[1-9]\d{0,15})$/.test(size ?? '')) {
    return { problem: `size ${JSON.stringify(size)} is not a whole number` };
  }
  const hash = Buffer.from(root ?? '', 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root) {
    return { problem: 'its head hash is not 32 bytes in base64' };
  }
  const time = extensions.map(l => l.match(TIME_LINE)?.[1]).find(Boolean);
  if (time !== undefined && Number.isNaN(Date.parse(time))) {
    return { problem: `its time ${time} is not a real time` };
  }
  return {
    origin,
    size: Number(size),
    hash: hash.toString('hex'),
    ...(time ? { time } : {}),
  };
}

/** What a checkpoint says, signatures unchecked (to compare with a chain without the key). */
export function readCheckpoint(note: string): Checkpoint | { problem: string } {
  const parsed = parseNote(note);
  return 'problem' in parsed ? parsed : parseCheckpointText(parsed.text);
}

/** What a checkpoint says, when the holder of `publicKey` signed it; otherwise why not. */
export function verifyCheckpoint(
  note: string,
  publicKey: KeyObject,
): Checkpoint | { problem: string } {
  const opened = openNote(note, publicKey);
  return 'problem' in opened ? opened : parseCheckpointText(opened.text);
}
