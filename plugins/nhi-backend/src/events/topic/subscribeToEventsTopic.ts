import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { Refresher } from '../../status/Refresher';
import type { EventIngestor } from '../EventIngestor';
import { EventService } from '../EventService';
import { EventTopicSubscriber } from './EventTopicSubscriber';
import { readEventsTopic } from './eventsTopicSettings';

/**
 * Subscribes the plugin to its events topic (`nhi.events.topic`), unless that is `false`: the
 * batches published there go through the same event service as `POST /api/nhi/events`.
 */
export async function subscribeToEventsTopic(
  deps: {
    config: RootConfigService;
    events: EventsService;
    logger: LoggerService;
  },
  services: {
    ingestor: Pick<EventIngestor, 'ingest'>;
    refresher: Pick<Refresher, 'queueIdentities'>;
  },
): Promise<void> {
  const topic = readEventsTopic(deps.config);
  if (!topic) {
    deps.logger.info(
      'nhi.events.topic is false: event batches are taken by POST /api/nhi/events only',
    );
    return;
  }
  const subscriber = new EventTopicSubscriber({
    topic,
    events: new EventService(services.ingestor, services.refresher),
    logger: deps.logger,
  });
  await subscriber.subscribe(deps.events);
}
