import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DateTime } from 'luxon';
import { readCatalogSnapshot } from '../catalog/readCatalogSnapshot';
import type { IdentityRegistry } from '../identities/IdentityRegistry';
import type { CatalogContext } from './buildFacts';
import type { StatusRecomputer } from './StatusRecomputer';
import { rebuildRollups } from '../database/rollupTable';
import type { Knex } from 'knex';

/**
 * Keeps identities and their status current: a full refresh syncs the catalog and recomputes
 * everything; after an event batch only the identities it touched are recomputed, against the
 * catalog as the last full refresh saw it.
 */
export class Refresher {
  private lastCatalog?: CatalogContext;

  constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      registry: IdentityRegistry;
      recomputer: StatusRecomputer;
      logger: LoggerService;
      knex: Knex;
    },
  ) {}

  async refreshAll(now = DateTime.utc()): Promise<void> {
    const { auth, catalog, registry, recomputer, logger } = this.deps;
    const snapshot = await readCatalogSnapshot(
      catalog,
      await auth.getOwnServiceCredentials(),
    );
    const synced = await registry.applySnapshot(
      'catalog',
      snapshot.records,
      now.toUTC().toISO()!,
    );
    const computed = await recomputer.recompute(snapshot.context, now);
    // Rollups follow full refreshes; event-driven recomputes leave them to the next one.
    await rebuildRollups(this.deps.knex, now.toUTC().toISODate()!);
    this.lastCatalog = snapshot.context;
    logger.info('Machine identities refreshed', { ...synced, ...computed });
  }

  async refreshIdentities(refs: string[], now = DateTime.utc()): Promise<void> {
    if (refs.length === 0) return;
    if (!this.lastCatalog) {
      await this.refreshAll(now);
      return;
    }
    await this.deps.recomputer.recompute(this.lastCatalog, now, refs);
  }
}
