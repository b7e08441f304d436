import type { DateTime } from 'luxon';
import type { Refresher } from '../status/Refresher';
import type { EventIngestor } from './EventIngestor';

/** Usage events in: stored, then the identities they touch are recomputed soon. */
export class EventService {
  constructor(
    private readonly ingestor: Pick<EventIngestor, 'ingest'>,
    private readonly refresher: Pick<Refresher, 'queueIdentities'>,
  ) {}

  /** Throws EventBatchError, naming every bad item, when the batch is refused. */
  async ingest(body: unknown, now: DateTime) {
    const { affectedRefs, ...result } = await this.ingestor.ingest(body, now);
    this.refresher.queueIdentities(affectedRefs, { usageArrived: true });
    return result;
  }
}
