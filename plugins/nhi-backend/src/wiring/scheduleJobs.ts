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
import type { CheckpointSigner } from '../ledger/checkpoints/CheckpointSigner';

export interface JobDeps {
  scheduler: SchedulerService;
  events: EventsService;
  lifecycle: LifecycleService;
  config: RootConfigService;
  logger: LoggerService;
  discoverySources: DiscoverySource[];
  /** Signs the ledger head on its schedule, when a signing key is configured. */
  checkpoints?: { signer: CheckpointSigner; frequency: { minutes: number } };
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

  // A signed checkpoint of the ledger head; one replica at a time, as every scheduled task.
  if (deps.checkpoints) {
    const { signer, frequency } = deps.checkpoints;
    await scheduler.scheduleTask({
      id: 'nhi-ledger-checkpoint',
      frequency,
      timeout: { minutes: 5 },
      initialDelay: { seconds: 20 },
      fn: async () => {
        await signer.sign(DateTime.utc());
      },
    });
  }

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
