import type { Hash } from 'crypto';
import { StringDecoder } from 'string_decoder';
import type { Readable } from 'stream';

/**
 * The lines of a UTF-8 stream, without their `\n`, each yielded as soon as it is complete; the
 * bytes are hashed as they are read. A last line without `\n` is yielded too.
 */
export async function* linesOf(
  stream: Readable,
  hash: Hash,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    hash.update(chunk);
    const parts = (rest + decoder.write(chunk)).split('\n');
    rest = parts.pop()!;
    for (const line of parts) yield line;
  }
  rest += decoder.end();
  if (rest.length) yield rest;
}

/** Reads a stream to its end, hashing it, and answers its bytes. */
export async function readAll(stream: Readable, hash?: Hash): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    hash?.update(chunk);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a stream to its end, hashing it, holding nothing. */
export async function drain(stream: Readable, hash: Hash): Promise<void> {
  for await (const chunk of stream) hash.update(chunk);
}
