import { createReadStream } from 'fs';
import { Readable } from 'stream';
import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import {
  completeRun,
  failRun,
  insertCredentials,
  startRun,
  upsertSources,
} from '../database/discoveryTables';
import type { DiscoverySource } from './sourceSettings';
import { CREDENTIAL_FORMATS } from './sourceFormats';

const PAGE = 500;

/** The outcome of one read of a source. */
export type RunResult =
  | { status: 'ok'; runId: number; rows: number; credentials: number }
  | { status: 'failed'; runId: number; rows: number; error: string };

/**
 * Reads each source in full, streaming, and makes what it listed the source's state only once
 * the whole file was read. A file that cannot be read, or breaks off, fails its run with an
 * error naming the source, the place and the reason, and the last good state is kept.
 */
export class SourceRunner {
  constructor(
    private readonly knex: Knex,
    private readonly options: {
      urlReader?: Pick<UrlReaderService, 'readUrl'>;
      logger?: LoggerService;
    } = {},
  ) {}

  /** Records the configured sources, so that their health shows before their first run. */
  async register(sources: DiscoverySource[]) {
    await upsertSources(
      this.knex,
      sources.map(s => ({
        id: s.id,
        format: s.format,
        location: 'path' in s.location ? s.location.path : s.location.url,
      })),
    );
  }

  async run(source: DiscoverySource, now = DateTime.utc()): Promise<RunResult> {
    const runId = await startRun(this.knex, source.id, now.toISO()!);
    let rows = 0;
    try {
      const parse = CREDENTIAL_FORMATS[source.format] as (
        input: Readable,
      ) => AsyncIterable<DiscoveredCredential>;
      let page: DiscoveredCredential[] = [];
      for await (const credential of parse(await this.open(source))) {
        rows++;
        page.push(credential);
        if (page.length === PAGE) {
          await insertCredentials(this.knex, runId, source.id, page);
          page = [];
        }
      }
      await insertCredentials(this.knex, runId, source.id, page);
      const credentials = await completeRun(this.knex, {
        id: runId,
        sourceId: source.id,
        rows,
        at: DateTime.utc().toISO()!,
      });
      return { status: 'ok', runId, rows, credentials };
    } catch (e) {
      const error = `${source.id}: ${(e as Error).message}`;
      this.options.logger?.warn(`Discovery source ${error}`);
      await failRun(this.knex, {
        id: runId,
        sourceId: source.id,
        rows,
        at: DateTime.utc().toISO()!,
        error,
      });
      return { status: 'failed', runId, rows, error };
    }
  }

  private async open(source: DiscoverySource): Promise<Readable> {
    if ('path' in source.location) {
      const stream = createReadStream(source.location.path);
      // An unreadable path fails here, as the run's error, not later as an unhandled event.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return stream;
    }
    if (!this.options.urlReader) {
      throw new Error(`cannot read ${source.location.url}: no URL reader`);
    }
    const response = await this.options.urlReader.readUrl(source.location.url);
    return response.stream
      ? response.stream()
      : Readable.from(await response.buffer());
  }
}
