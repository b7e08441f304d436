import { createHash } from 'crypto';
import { once } from 'events';
import { PassThrough, Writable } from 'stream';
import { stringify } from 'csv-stringify';

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as written: text that a spreadsheet would run as a formula gets a leading apostrophe,
 * so it is shown, never evaluated. Numbers are left alone: only text is neutralised.
 */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type Cell = string | number | boolean | null | undefined;

/** One CSV file of the package: its columns and its rows, produced a page at a time. */
export interface CsvFile {
  name: string;
  columns: string[];
  rows: AsyncIterable<Cell[]>;
}

/**
 * Writes the file as RFC 4180 CSV (CRLF, quotes doubled, UTF-8) into `out`, waiting whenever
 * the reader is behind, so that no more than a buffer of rows is ever held. Answers the
 * SHA-256 and the number of rows.
 */
export async function writeCsv(
  file: CsvFile,
  out: Writable,
  signal?: AbortSignal,
): Promise<{ sha256: string; rows: number }> {
  const hash = createHash('sha256');
  const csv = stringify({
    header: true,
    columns: file.columns,
    record_delimiter: '\r\n',
    cast: {
      string: neutralise,
      boolean: v => (v ? 'true' : 'false'),
    },
  });
  const tee = new PassThrough();
  tee.on('data', chunk => hash.update(chunk));
  csv.pipe(tee).pipe(out);
  let rows = 0;
  for await (const row of file.rows) {
    rows++;
    // Every record has every field (RFC 4180): missing trailing cells are empty.
    const record = file.columns.map((_, i) => row[i] ?? undefined);
    if (!csv.write(record)) {
      await once(csv, 'drain', { signal });
    }
  }
  csv.end();
  await once(out, 'finish', { signal });
  return { sha256: hash.digest('hex'), rows };
}

/** A column of a CSV file: its header, and its cell as read from one row. */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => Cell;
}

/** A CSV file laid out as a table of columns, each reading its cell from a row. */
export function csvFileOf<Row>(
  name: string,
  columns: Array<CsvColumn<Row>>,
  rows: AsyncIterable<Row>,
): CsvFile {
  return {
    name,
    columns: columns.map(c => c.header),
    rows: (async function* cells(): AsyncGenerator<Cell[]> {
      for await (const row of rows) yield columns.map(c => c.value(row));
    })(),
  };
}
