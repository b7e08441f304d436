import type { DateTime } from 'luxon';
import type {
  ObjectUsageObservation,
  WarnFn,
} from '@nhi-governance/plugin-nhi-node';
import type { NhiStores } from '../../database/NhiStores';
import type { EventIngestor } from '../../events/EventIngestor';
import type { RunLogObjects } from '../sourceRead';
import { ImportRun, UsageFacts, UsageImportResult } from './ImportRun';

export { isAuthenticationFailure } from './authenticationFailure';
export type { UsageImportResult } from './ImportRun';

/**
 * Counts usage logs as aggregates: records are summed per identity, day, address, user agent
 * and outcome in the stream, and only the sums are written, through the EventIngestor's usage
 * rollup (the anomaly baselines read the same days). An object's checkpoint, saved with each
 * write, says how many of its records are counted: a second read counts nothing twice, and a
 * file that grew is counted from where the last read stopped.
 */
export class UsageImporter {
  constructor(
    private readonly stores: NhiStores,
    private readonly ingestor: EventIngestor,
  ) {}

  async import(
    source: { id: string; format: string; object: string },
    observations: AsyncIterable<ObjectUsageObservation>,
    now: DateTime,
    { warn, logObjects }: { warn: WarnFn; logObjects?: RunLogObjects },
  ): Promise<UsageImportResult> {
    const run = new ImportRun(this.stores, this.ingestor, source, now, warn);
    logObjects?.whenDone(object => run.done(object));
    for await (const o of observations) await run.add(o);
    await run.finish();
    await this.saveUsage(source, run.perIdentity, now);
    return run.result();
  }

  /** Each identity's usage facts from this source. */
  private async saveUsage(
    source: { id: string; format: string },
    perIdentity: Map<string, UsageFacts>,
    now: DateTime,
  ): Promise<void> {
    if (!perIdentity.size) return;
    const readAt = now.toUTC().toISO()!;
    await this.stores.transaction(trx =>
      trx.sourceLinks.writeSourceLinks(
        source.id,
        [...perIdentity].map(([ref, usage]) => ({
          identityRef: ref,
          facts: { sourceId: source.id, format: source.format, readAt, usage },
        })),
      ),
    );
  }
}
