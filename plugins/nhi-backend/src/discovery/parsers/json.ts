import { getManyValues, Many, none } from 'stream-chain/defs.js';
import fun from 'stream-chain/fun.js';
import parser from 'stream-json/parser.js';
import type { z } from 'zod';
import { SourceParseError } from './SourceParseError';
import { withoutQuotedInput } from './values';
import { decode, SourceInput, textLines } from './stream';
import { JsonItem, JsonListWalker, TRUNCATED } from './jsonListWalker';

export type { JsonItem } from './jsonListWalker';

const SLICE = 1024;

/**
 * Streams the elements of the list at `path` in a JSON document (`[]` for a document that
 * is a list), one at a time, so that memory stays flat however long the list is. Everything
 * outside the list is skipped token by token, never assembled. Concatenated documents
 * (`gh api --paginate` prints one list per page) are read one after the other. Where a tool
 * prints a bare list and its API wraps the same list in an object (`gcloud … list` and
 * `{ "keys": [...] }`), `objectPath` names the list inside such an object.
 */
export async function* streamJsonArray(
  input: SourceInput,
  source: string,
  listPath: readonly string[] = [],
  objectPath?: readonly string[],
): AsyncGenerator<JsonItem> {
  const walker = new JsonListWalker(source, listPath, objectPath);
  const tokensOf = sliceTokenizer(source, walker);
  // Chunks are pulled one at a time, so a slow consumer holds back the reading. Errors of the
  // input itself (a file that vanished) pass through as they are.
  for await (const text of decode(input)) {
    for (let i = 0; i < text.length; i += SLICE) {
      yield* walker.consume(await tokensOf(text.slice(i, i + SLICE)));
    }
  }
  yield* walker.consume(await tokensOf(none));
  walker.finish();
}

/**
 * The tokens of each slice of text in turn, `none` for the end. parser() is a stream-chain
 * function list; fun() runs it synchronously over each piece of text, so tokens come as an
 * array rather than one promise each, and `none` flushes the end. Driven by hand, errors of
 * the input and errors of the JSON stay apart.
 */
function sliceTokenizer(source: string, walker: JsonListWalker) {
  const tokenize = fun(
    parser({ packValues: true, streamValues: false, jsonStreaming: true }),
  ) as (
    text: string | typeof none,
  ) => Many<parser.Token> | Promise<Many<parser.Token>>;
  // Small slices keep the error position close: the tokenizer does not say where it failed,
  // so the element being read when the slice began, and the character count, stand for it.
  let offset = 0;
  return async function tokensOf(text: string | typeof none) {
    const at = offset;
    offset += text === none ? 0 : text.length;
    try {
      return getManyValues(await tokenize(text));
    } catch (error) {
      const message = (error as Error).message;
      // At the end, whatever the tokenizer misses is what the file lacks.
      const reason =
        text === none || /^Parser has expected/.test(message)
          ? TRUNCATED
          : `is not valid JSON near character ${at} (${withoutQuotedInput(
              message.replace(/^Parser cannot parse input: /, ''),
            )})`;
      throw new SourceParseError(source, walker.where(), reason);
    }
  };
}

/** Streams JSON lines (trufflehog, Vault audit logs): one document per line, blank lines skipped. */
export async function* streamJsonLines(
  input: SourceInput,
  source: string,
): AsyncGenerator<JsonItem> {
  for await (const { line, number } of textLines(input)) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SourceParseError(
        source,
        `line ${number}`,
        `is not valid JSON (${withoutQuotedInput((error as Error).message)})`,
      );
    }
    yield { value, location: `line ${number}` };
  }
}

const segment = (key: PropertyKey) => {
  if (typeof key === 'number') return `[${key}]`;
  const name = String(key);
  return /^[A-Za-z_$][\w$]*$/.test(name)
    ? `.${name}`
    : `[${JSON.stringify(name)}]`;
};

/** A field's path as messages write it: `Records[3].eventTime`, `metadata.labels["a/b"]`. */
export const issuePath = (path: ReadonlyArray<PropertyKey>) =>
  path.map(segment).join('').replace(/^\./, '');

/** Where a field of an element is: `$.Records[3].eventTime`, `line 4, request.path`. */
export function issueLocation(
  item: JsonItem,
  issue: { path: ReadonlyArray<PropertyKey> },
): string {
  const field = issue.path.map(segment).join('');
  return item.location.startsWith('$')
    ? `${item.location}${field}`
    : `${item.location}${field ? `, ${field.replace(/^\./, '')}` : ''}`;
}

/**
 * Checks one element against its schema. The first problem becomes the error, naming the
 * exact field (`$.Records[3].eventTime`, `line 4, request.path`).
 */
export function parseItem<S extends z.ZodType>(
  schema: S,
  item: JsonItem,
  source: string,
): z.output<S> {
  const result = schema.safeParse(item.value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new SourceParseError(source, issueLocation(item, issue), issue.message);
}
