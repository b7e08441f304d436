import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { readCatalogSnapshot } from '../catalog/readCatalogSnapshot';

import type { IdentityRegistry } from '../identities/IdentityRegistry';
import type { CatalogContext } from './buildFacts';
import type { StatusRecomputer } from './StatusRecomputer';
import type { UsageAnalyzer } from '../anomalies/UsageAnalyzer';
import { SingleFlight, isBusy } from '../jobs/SingleFlight';
import { RefreshOptions, TouchedIdentities } from './TouchedIdentities';

export type { RefreshOptions } from './TouchedIdentities';

/** How long a replayed usage event is recognised after its first delivery. */
export const REPLAY_WINDOW_DAYS = 30;

/**
 * Keeps identities and their status current: a full refresh syncs the catalog and recomputes
 * everything (rollups included); after event batches only the identities they touched are
 * recomputed, against the catalog as the last full refresh saw it.
 *
 * Event-driven recomputes are coalesced (TouchedIdentities): while one runs, and for a moment
 * before it starts, the identities of further batches gather and go in the next, and each
 * caller still gets its answer once its identities are current.
 */
export class Refresher {
  private readonly flights: SingleFlight;
  private lastCatalog?: CatalogContext;
  private readonly touched: TouchedIdentities;

  constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      registry: IdentityRegistry;
      recomputer: StatusRecomputer;
      logger: LoggerService;
      stores: NhiStores;
      /** Runs after a catalog sync that changed identities, before the recompute. */
      afterCatalogChange?: () => Promise<void>;
      /** Measures the usage of identities that events touched, before they are recomputed. */
      usageAnalyzer?: UsageAnalyzer;
      /** Runs jobs one at a time across replicas; on the stores' leases if absent. */
      flights?: SingleFlight;
    },
  ) {
    this.flights =
      deps.flights ??
      new SingleFlight(deps.stores.leases, { logger: deps.logger });
    this.touched = new TouchedIdentities({
      recompute: refs => this.recomputeNow(refs),
      usageAnalyzer: deps.usageAnalyzer,
    });
  }

  /**
   * Syncs the catalog and recomputes every identity, on one replica at a time.
   * @throws ConflictError while a full refresh runs, on this replica or another
   */
  async refreshAll(now = DateTime.utc()): Promise<void> {
    await this.flights.run(
      'refresh',
      'A catalog sync and recompute of every identity',
      () => this.syncAndRecompute(now),
    );
  }

  private async readCatalog() {
    return readCatalogSnapshot(
      this.deps.catalog,
      await this.deps.auth.getOwnServiceCredentials(),
    );
  }

  private async syncAndRecompute(now: DateTime): Promise<void> {
    const { registry, recomputer, logger, stores } = this.deps;
    const snapshot = await this.readCatalog();
    const synced = await registry.applySnapshot(
      'catalog',
      snapshot.records,
      now.toUTC().toISO()!,
    );
    if (synced.added + synced.changed + synced.removed > 0) {
      await this.deps.afterCatalogChange?.();
    }
    const computed = await recomputer.recompute(snapshot.context, now);
    this.lastCatalog = snapshot.context;
    const pruned = await stores.events.pruneRolledUpEventIds(
      now.minus({ days: REPLAY_WINDOW_DAYS }).toUTC().toISODate()!,
    );
    logger.info('Machine identities refreshed', {
      ...synced,
      ...computed,
      prunedEventIds: pruned,
    });
  }

  /**
   * Recomputes `refs`, together with whatever else is waiting; resolves once they are done.
   * With `usageArrived`, their usage is measured against their history first (anomalies):
   * only new usage can change what that finds.
   */
  async refreshIdentities(
    refs: string[],
    options: RefreshOptions = {},
  ): Promise<void> {
    await this.touched.refresh(refs, options);
  }

  /**
   * Queues `refs` for recompute and returns at once: an event sender does not wait for status,
   * which follows within moments. A failure is logged; the next full refresh repairs it.
   */
  queueIdentities(refs: string[], options: RefreshOptions = {}): void {
    this.refreshIdentities(refs, options).catch(error =>
      this.deps.logger.warn(
        'Recomputing identities after events failed',
        error,
      ),
    );
  }

  private async recomputeNow(refs: string[]): Promise<void> {
    if (!this.lastCatalog) {
      try {
        await this.refreshAll();
        return;
      } catch (error) {
        // Another replica is syncing: measure against the catalog as it reads now.
        if (!isBusy(error)) throw error;
        this.lastCatalog = (await this.readCatalog()).context;
      }
    }
    await this.deps.recomputer.recompute(
      this.lastCatalog,
      DateTime.utc(),
      refs,
    );
  }
}
