import { createReadStream } from 'fs';
import { Readable } from 'stream';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { WarnFn } from './parsers/SourceWarning';
import { ItemShape, screenPage } from './screenItems';
import type { DiscoverySource } from './sourceSettings';

const PAGE = 500;

/** The bytes of a source as its parser reads them: a file, a URL, or nothing for a connector. */
export async function openSource(
  source: DiscoverySource,
  urlReader: Pick<UrlReaderService, 'readUrl'> | undefined,
): Promise<Readable> {
  // A connector's format reads its API, not this input.
  if ('connector' in source.location) return Readable.from([]);
  if ('path' in source.location) {
    const stream = createReadStream(source.location.path);
    // An unreadable path fails here, as the run's error, not later as an unhandled event.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }
  if (!urlReader) {
    throw new Error(`cannot read ${source.location.url}: no URL reader`);
  }
  const response = await urlReader.readUrl(source.location.url);
  return response.stream
    ? response.stream()
    : Readable.from(await response.buffer());
}

/**
 * What a parser yields, counted and in pages of {@link PAGE}, each page through the screen:
 * one secret scan per page, not per item.
 */
export async function* screened<T extends object>(
  items: AsyncIterable<T>,
  shape: ItemShape<T>,
  counter: { rows: number },
  warn: WarnFn,
): AsyncGenerator<T[]> {
  let page: T[] = [];
  let first = 1;
  for await (const item of items) {
    counter.rows++;
    page.push(item);
    if (page.length === PAGE) {
      yield await screenPage(page, first, shape, warn);
      first += page.length;
      page = [];
    }
  }
  if (page.length) yield await screenPage(page, first, shape, warn);
}

/** Where a source is, as its health shows it. */
export function locationText(location: DiscoverySource['location']): string {
  if ('connector' in location) return `connector:${location.connector}`;
  return 'path' in location ? location.path : location.url;
}

/** Items counted as they pass, for a run's rows read. */
export async function* counted<T>(
  items: AsyncIterable<T>,
  counter: { rows: number },
) {
  for await (const item of items) {
    counter.rows++;
    yield item;
  }
}
