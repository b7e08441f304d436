import type { Readable } from 'stream';
import yauzl from 'yauzl';

/** A ZIP opened for reading: its entries from the central directory, each opened on demand. */
export interface ZipReader {
  /** Every entry, in the order of the central directory. */
  entries: yauzl.Entry[];
  /** The entry's bytes, uncompressed, as a stream (sizes checked by yauzl as it reads). */
  open(entry: yauzl.Entry): Promise<Readable>;
  close(): void;
}

/**
 * Opens a ZIP file or buffer and lists its entries without reading any of them, so that each
 * file can then be read, in any order, as a stream.
 */
export async function openZip(source: string | Buffer): Promise<ZipReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    const done = (err: Error | null, file?: yauzl.ZipFile) => {
      if (err || !file) reject(err ?? new Error('the ZIP could not be opened'));
      else resolve(file);
    };
    if (typeof source === 'string') {
      yauzl.open(source, { lazyEntries: true, autoClose: false }, done);
    } else {
      yauzl.fromBuffer(source, { lazyEntries: true }, done);
    }
  });
  const entries: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  // Later errors surface on the entry streams; none may go unhandled.
  zip.on('error', () => {});
  return {
    entries,
    open: entry =>
      new Promise((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) reject(err ?? new Error('unreadable entry'));
          else resolve(stream);
        });
      }),
    close: () => zip.close(),
  };
}

/** Every file of a package (a ZIP file or buffer), uncompressed, by name, in the ZIP's order. */
export async function readPackageFiles(
  source: string | Buffer,
): Promise<Map<string, Buffer>> {
  const zip = await openZip(source);
  try {
    const files = new Map<string, Buffer>();
    for (const entry of zip.entries) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.open(entry)) chunks.push(chunk);
      files.set(entry.fileName, Buffer.concat(chunks));
    }
    return files;
  } finally {
    zip.close();
  }
}
