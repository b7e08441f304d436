import { PassThrough } from 'stream';
import { ZipFile } from 'yazl';

/**
 * The package's ZIP as its files are added. Every entry carries the period's end as its time
 * and the same mode, so the same period over the same data gives the same bytes.
 */
export interface PackageZip {
  zip: ZipFile;
  mtime: Date;
  /** Aborted when the reader goes away: every wait for room then ends. */
  signal: AbortSignal;
}

const MODE = 0o100644;

/** A ZIP entry written as a stream: the caller writes it and ends it. */
export function addStreamEntry(z: PackageZip, name: string): PassThrough {
  const entry = new PassThrough();
  z.zip.addReadStream(entry, name, { mtime: z.mtime, mode: MODE });
  return entry;
}

/** A ZIP entry whose bytes are all known. */
export function addBufferEntry(z: PackageZip, name: string, bytes: Buffer) {
  z.zip.addBuffer(bytes, name, { mtime: z.mtime, mode: MODE });
}
