import type { Hash } from 'crypto';
import type { Readable } from 'stream';
import { parse, Parser } from 'csv-parse';
import type { CsvCheck } from './checks';
import type { VerifyFailure } from './types';
import { errorMessage } from './values';

/** Until the parser drained, ended or failed. */
const settled = (parser: Parser, event: 'drain' | 'end') =>
  new Promise<void>(resolve => {
    const done = () => {
      parser.off(event, done);
      parser.off('error', done);
      resolve();
    };
    parser.on(event, done);
    parser.on('error', done);
  });

/**
 * A CSV file, parsed as it streams, each row checked and let go. The bytes are hashed as
 * read, all of them, even past a row that does not parse. Answers the rows, or undefined when
 * the file is not valid CSV.
 */
export async function readCsv(
  name: string,
  stream: Readable,
  hash: Hash,
  fail: (failure: VerifyFailure) => void,
  check?: CsvCheck,
): Promise<number | undefined> {
  let rows = 0;
  let header: string[] | undefined;
  let broken = false;
  let checking = !!check;
  const parser = parse({
    bom: true,
    columns: (names: string[]) => {
      header = names;
      const missing = (check?.columns ?? []).filter(c => !names.includes(c));
      if (missing.length) {
        checking = false;
        fail({
          file: name,
          reason: `has no column ${missing.join(
            ', ',
          )}, so its rows cannot be checked`,
        });
      }
      return names;
    },
  });
  parser.on('data', (cells: Record<string, string>) => {
    rows++;
    if (checking) check!.row(cells, rows);
  });
  parser.on('error', error => {
    broken = true;
    fail({
      file: name,
      row: rows + 1,
      reason: `is not valid CSV: ${errorMessage(error)}`,
    });
  });
  for await (const chunk of stream) {
    hash.update(chunk);
    if (!broken && !parser.write(chunk)) await settled(parser, 'drain');
  }
  if (!broken) {
    const ended = settled(parser, 'end');
    parser.end();
    await ended;
  }
  if (broken) return undefined;
  if (!header && check) {
    fail({ file: name, reason: 'is empty: it has not even a header' });
  } else if (checking) {
    check!.end?.();
  }
  return rows;
}
