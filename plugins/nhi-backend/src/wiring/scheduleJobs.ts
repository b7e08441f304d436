import type {
  LifecycleService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { DateTime } from 'luxon';
import type { DiscoverySource } from '../discovery/sourceSettings';
import {
  CatalogChangeListener,
  readCatalogChangeDebounceMs,
} from '../status/CatalogChangeListener';
import type { NhiServices } from './createServices';
import { isBusy } from '../jobs/SingleFlight';

export interface JobDeps {
  scheduler: SchedulerService;
  events: EventsService;
  lifecycle: LifecycleService;
  config: RootConfigService;
  logger: LoggerService;
  discoverySources: DiscoverySource[];
}

/**
 * Every background job, through the scheduler: global scope, so one replica runs each at a
 * time. The jobs also hold their own lease (SingleFlight), because routes start them too; a
 * scheduled run that finds its job already running skips, with a log line.
 */
export async function scheduleJobs(
  deps: JobDeps,
  { refresher, reviews, discovery }: NhiServices,
) {
  const { scheduler } = deps;
  const unlessRunning = (work: () => Promise<unknown>) => async () => {
    try {
      await work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      deps.logger.info(`Scheduled run skipped: ${error.message}`);
    }
  };
  await scheduler.scheduleTask({
    id: 'nhi-refresh',
    frequency: { minutes: 10 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 5 },
    fn: unlessRunning(() => refresher.refreshAll()),
  });

  // A changed identity in the catalog runs the same task early. Through the scheduler,
  // it never overlaps a scheduled run, on this replica or another.
  const catalogChanges = new CatalogChangeListener({
    refresh: () => scheduler.triggerTask('nhi-refresh'),
    logger: deps.logger,
    debounceMs: readCatalogChangeDebounceMs(deps.config),
  });
  await catalogChanges.subscribe(deps.events);
  deps.lifecycle.addShutdownHook(() => catalogChanges.stop());

  // Starts the campaign of each new period, handles overdue items, reminders, expiring
  // exceptions and finished remediation.
  await scheduler.scheduleTask({
    id: 'nhi-reviews',
    frequency: { minutes: 15 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 1 },
    fn: unlessRunning(() => reviews.sweeper.run(DateTime.utc())),
  });

  // Each discovery source on its own schedule; a run reads the whole file or keeps the
  // source's last good state. What it changes is recomputed at once.
  await discovery.register(deps.discoverySources);
  for (const source of deps.discoverySources) {
    await scheduler.scheduleTask({
      id: `nhi-discovery-${source.id}`,
      frequency: source.frequency,
      timeout: { minutes: 30 },
      initialDelay: { seconds: 30 },
      fn: unlessRunning(() => discovery.run(source)),
    });
  }
}
