import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** What a parser reads: a file or HTTP body stream, or any async source of text chunks. */
export type SourceInput = AsyncIterable<Buffer | string> | Readable;

/** Text from text or UTF-8 chunks, a character never split across two. */
export async function* decode(input: SourceInput): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  }
  yield decoder.end();
}

/** The lines of a text, numbered from 1 as an editor shows them, without their line ends. */
export async function* textLines(
  input: SourceInput,
): AsyncGenerator<{ line: string; number: number }> {
  let rest = '';
  let number = 0;
  for await (const text of decode(input)) {
    const lines = text.split('\n');
    lines[0] = rest + lines[0];
    rest = lines.pop()!;
    for (const line of lines)
      yield { line: line.replace(/\r$/, ''), number: ++number };
  }
  if (rest) yield { line: rest.replace(/\r$/, ''), number: ++number };
}
