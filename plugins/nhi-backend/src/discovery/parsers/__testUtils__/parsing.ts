import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SourceWarning, WarnFn } from '../SourceWarning';

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const FIXTURES = resolve(__dirname, '../../__fixtures__');

/** A fixture as a file stream, as a source would be read. */
export const fixtureStream = (name: string) =>
  createReadStream(resolve(FIXTURES, name), { highWaterMark: 1024 });

export const fixtureText = (name: string) =>
  readFileSync(resolve(FIXTURES, name), 'utf8');

/** The samples taken from the tools' own repositories and documentation, by format. */
export const upstreamSamples = (format: string) =>
  readdirSync(resolve(FIXTURES, 'upstream', format))
    .filter(name => name !== 'ORIGIN.md')
    .sort();

/** An upstream sample as a file stream (`gitleaks/json_simple.json`). */
export const upstreamStream = (path: string) =>
  fixtureStream(`upstream/${path}`);

export const upstreamText = (path: string) => fixtureText(`upstream/${path}`);

type WarningParser<T> = (
  input: AsyncIterable<Buffer>,
  warn: WarnFn,
) => AsyncIterable<T>;

/** What a parser yields from a text, and the warnings it gives on the way. */
export async function parseWithWarnings<T>(
  parse: WarningParser<T>,
  text: string,
): Promise<{ found: T[]; warnings: SourceWarning[] }> {
  const warnings: SourceWarning[] = [];
  const found = await collect(
    parse(chunked(text), warning => warnings.push(warning)),
  );
  return { found, warnings };
}

/** The same for a fixture with one edit: how odd cells are made here. */
export const parseEditedWithWarnings = <T>(
  parse: WarningParser<T>,
  fixture: string,
  from: string | RegExp,
  to: string,
) => parseWithWarnings(parse, fixtureText(fixture).replace(from, to));

/** Text in 7-byte chunks, so that every value is split across chunks somewhere. */
export async function* chunked(text: string): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
}

/** The error a parser throws, for asserting its message. */
export async function errorOf(items: AsyncIterable<unknown>): Promise<Error> {
  try {
    await collect(items);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the parser to fail');
}

// Heap figures mean something only after a collection, and jest runs without --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Runs a parser to the end, and reports how many items it yielded and how far the live heap
 * grew at most, measured after a collection every 20,000 items.
 */
export async function measure<T>(
  items: AsyncIterable<T>,
): Promise<{ count: number; heapGrowthMb: number }> {
  gc();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  let count = 0;
  for await (const _ of items) {
    if (++count % 20_000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  return { count, heapGrowthMb: (peak - start) / 1e6 };
}

/** The secret values that must never reach any output: what a test asserts is absent. */
export function leakedSecrets(found: unknown[], secrets: string[]): string[] {
  const text = JSON.stringify(found);
  return secrets.filter(secret => text.includes(secret));
}

/** The message a parser fails with on a fixture with one edit: how bad files are made here. */
export async function failureOn(
  parse: (input: AsyncIterable<Buffer>) => AsyncIterable<unknown>,
  fixture: string,
  from: string | RegExp,
  to: string,
): Promise<string> {
  const text = fixtureText(fixture).replace(from, to);
  return (await errorOf(parse(chunked(text)))).message;
}
