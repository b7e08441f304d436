import { EVIDENCE_PACKAGE_ENTRIES, ZipEntryScanner } from './zipEntryScanner';

/** A ZIP local file header for `name` followed by `data`, as a streaming writer emits it. */
function entry(name: string, data: number[] = [1, 2, 3, 4, 5]): number[] {
  const header = new Array(30).fill(0);
  header.splice(0, 4, 0x50, 0x4b, 0x03, 0x04);
  header[26] = name.length & 0xff;
  header[27] = name.length >> 8;
  header[28] = 4; // An extra field, which the scanner must step over like data.
  return [
    ...header,
    ...Array.from(name, c => c.charCodeAt(0)),
    ...[0xca, 0xfe, 0x00, 0x00],
    ...data,
  ];
}

/** Bytes that look like a header to a naive search: signature, then a name length. */
function fakeSignature(name: string): number[] {
  return entry(name, []).slice(0, 30 + name.length);
}

function scanAll(bytes: number[], chunkSize: number): string[] {
  const scanner = new ZipEntryScanner();
  const found: string[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    found.push(...scanner.push(Uint8Array.from(bytes.slice(i, i + chunkSize))));
  }
  return found;
}

const wholePackage = EVIDENCE_PACKAGE_ENTRIES.flatMap(name => entry(name));

describe('ZipEntryScanner', () => {
  it('finds every entry of a package in order', () => {
    const scanner = new ZipEntryScanner();
    expect(scanner.entry).toBeUndefined();
    expect(scanner.push(Uint8Array.from(wholePackage))).toEqual([
      ...EVIDENCE_PACKAGE_ENTRIES,
    ]);
    expect(scanner.index).toBe(10);
    expect(scanner.entry).toBe('manifest.json');
  });

  it('finds headers split at any chunk boundary', () => {
    for (const size of [1, 2, 3, 5, 7, 29, 31, 33, 64]) {
      expect(scanAll(wholePackage, size)).toEqual([
        ...EVIDENCE_PACKAGE_ENTRIES,
      ]);
    }
  });

  it('reports each entry as soon as its name has arrived', () => {
    const scanner = new ZipEntryScanner();
    const first = entry('inventory.csv');
    expect(scanner.push(Uint8Array.from(first.slice(0, 35)))).toEqual([]);
    expect(scanner.push(Uint8Array.from(first.slice(35, 43)))).toEqual([
      'inventory.csv',
    ]);
    expect(scanner.entry).toBe('inventory.csv');
  });

  it('ignores a signature inside compressed data that names no known entry', () => {
    const noise = [
      ...[0x50, 0x4b, 0x03, 0x04, 0xff, 0xff], // cut short, then data goes on
      ...new Array(40).fill(0x50),
      ...fakeSignature('findings.csX'),
      ...[0x50, 0x4b, 0x03, 0x04, ...new Array(22).fill(0), 0xff, 0x7f],
    ];
    const bytes = [
      ...entry('inventory.csv', noise),
      ...entry('access-reviews.csv'),
    ];
    for (const size of [1, 4, 1000]) {
      expect(scanAll(bytes, size)).toEqual([
        'inventory.csv',
        'access-reviews.csv',
      ]);
    }
  });

  it('does not wait for the rest of a false header longer than any known name', () => {
    const falseHeader = [0x50, 0x4b, 0x03, 0x04, ...new Array(22).fill(0)];
    const scanner = new ZipEntryScanner();
    scanner.push(Uint8Array.from(entry('inventory.csv', falseHeader)));
    // Read as a header, the false one's name (length 200) would swallow the next real header.
    expect(
      scanner.push(Uint8Array.from([200, 0, ...entry('access-reviews.csv')])),
    ).toEqual(['access-reviews.csv']);
  });

  it('ignores unknown entries and known names that come out of order', () => {
    const bytes = [
      ...entry('notes.txt'),
      ...entry('approvals.csv', fakeSignature('inventory.csv')),
      ...entry('README'),
      ...entry('rotations.csv'),
    ];
    const scanner = new ZipEntryScanner();
    expect(scanner.push(Uint8Array.from(bytes))).toEqual([
      'approvals.csv',
      'rotations.csv',
    ]);
    expect(scanner.index).toBe(4);
  });
});
