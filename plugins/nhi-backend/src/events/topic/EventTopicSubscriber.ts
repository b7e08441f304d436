import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  describeValueProblems,
  screenValue,
} from '@nhi-governance/plugin-nhi-common';
import { DateTime } from 'luxon';
import type { EventService } from '../EventService';

/** The subscriber id, scoped to the plugin by the events service: `nhi.nhi-events`. */
export const EVENTS_SUBSCRIBER_ID = 'nhi-events';

/** How long to wait before each further attempt at a batch the backend failed to apply. */
const RETRY_DELAYS_MS = [1_000, 3_000];

export interface EventTopicSubscriberOptions {
  topic: string;
  /** The service behind `POST /api/nhi/events`: validation, idempotency, then recompute. */
  events: Pick<EventService, 'ingest'>;
  logger: LoggerService;
  /** Waits between attempts when applying fails on this side (tests shorten them). */
  retryDelaysMs?: number[];
}

/**
 * Takes event batches published on a topic of Backstage's events service: by a backend module,
 * or by the events backend's HTTP ingress (`events.http.topics`). A payload is exactly the body
 * `POST /api/nhi/events` takes, and goes the same way: the screen the HTTP edge applies to every
 * body (control characters, lone surrogates, bidi overrides, nesting), then the event service
 * (schema, secret scan, known identities, idempotency by event id, recompute and usage analysis
 * of the identities touched). An event applied before, on this replica or another, is a
 * duplicate and changes nothing, so a batch delivered twice is counted once.
 *
 * Nobody waits for an answer on a topic, so nothing is thrown into the events service:
 * - a refused batch is dropped with a warning naming the topic and the reason, the message the
 *   HTTP API would answer (it names fields, never values); nothing of it was stored;
 * - a failure on this side (the database, a secret scan that could not run) is tried again, and
 *   logged as an error if it still fails; what was stored before stays.
 */
export class EventTopicSubscriber {
  constructor(private readonly options: EventTopicSubscriberOptions) {}

  async subscribe(events: EventsService): Promise<void> {
    const { topic, logger } = this.options;
    await events.subscribe({
      id: EVENTS_SUBSCRIBER_ID,
      topics: [topic],
      onEvent: params => this.onEvent(params),
    });
    logger.info(`Taking event batches published on topic "${topic}"`);
  }

  /** Applies one payload; never throws. */
  async onEvent(params: EventParams): Promise<void> {
    const { topic, logger } = this.options;
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.apply(params.eventPayload);
        logger.debug(
          `Applied an event batch from topic "${topic}": ${result.accepted} accepted, ${result.duplicates} duplicates`,
        );
        return;
      } catch (error) {
        if (InputError.is(error)) {
          // EventBatchError is an InputError too: the sender's mistake, the same 400 message.
          logger.warn(
            `Dropped an event batch published on topic "${topic}": ${error.message}`,
          );
          return;
        }
        if (attempt >= delays.length) {
          logger.error(
            `Could not apply an event batch published on topic "${topic}" after ${
              attempt + 1
            } attempts; it was dropped: ${
              isError(error) ? error.message : String(error)
            }`,
          );
          return;
        }
        await new Promise(resolve => setTimeout(resolve, delays[attempt]));
      }
    }
  }

  private async apply(payload: unknown) {
    // As the HTTP edge screens every body (screenRequest.ts), with the same message.
    const screened = screenValue(payload, '', { multiline: true });
    if (!screened.ok) {
      throw new InputError(
        `Invalid body: ${describeValueProblems(screened.problems)}`,
      );
    }
    return this.options.events.ingest(screened.value, DateTime.utc());
  }
}
