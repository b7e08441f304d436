import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { isError } from '@backstage/errors';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds } from '@backstage/types';

import { NHI_CATALOG_CHANGED_TOPIC } from '@nhi-governance/plugin-nhi-common';

const DEBOUNCE_KEY = 'nhi.refresh.catalogChangeDebounce';
const DEFAULT_DEBOUNCE_MS = 5_000;

/** Reads `nhi.refresh.catalogChangeDebounce` (a duration), 5 seconds when absent. */
export function readCatalogChangeDebounceMs(config: Config): number {
  if (!config.has(DEBOUNCE_KEY)) {
    return DEFAULT_DEBOUNCE_MS;
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: DEBOUNCE_KEY }),
  );
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`${DEBOUNCE_KEY} must be a duration of zero or more`);
  }
  return ms;
}

/**
 * Refreshes soon after the catalog announces a changed identity, instead of waiting for the
 * next scheduled refresh.
 *
 * - The first change starts a quiet period of `debounceMs`; every change until it ends joins
 *   the same refresh, so a burst (a new location with hundreds of identities, or the first
 *   start after this module was installed) costs one refresh, not hundreds. The wait also
 *   leaves the catalog time to stitch the entity, which happens after processing announced it.
 * - `refresh` is expected to say "busy" (a `ConflictError`, as `scheduler.triggerTask` does
 *   while the task runs) when a refresh is under way: that one may have read the catalog before
 *   the change, so the listener waits another quiet period and asks again.
 * - Any other failure is logged and dropped, never thrown into the events bus; the scheduled
 *   refresh catches up.
 */
export class CatalogChangeListener {
  private timer?: ReturnType<typeof setTimeout>;
  private inFlight?: Promise<void>;
  /** A change arrived while a request was in flight: it needs a refresh of its own. */
  private changedDuringRequest = false;
  private changedRefs = new Set<string>();
  private stopped = false;

  constructor(
    private readonly deps: {
      /** Starts (or requests) a full refresh. */
      refresh: () => Promise<void>;
      logger: LoggerService;
      debounceMs: number;
    },
  ) {}

  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'catalog-change-listener',
      topics: [NHI_CATALOG_CHANGED_TOPIC],
      onEvent: async (params: EventParams) => {
        this.notifyChanged(refOf(params.eventPayload));
      },
    });
  }

  /** Records a change; the refresh follows after the quiet period. Never throws. */
  notifyChanged(entityRef?: string): void {
    if (this.stopped) return;
    // Only for the log line; bounded so that a huge burst does not hold every ref.
    if (entityRef && this.changedRefs.size < 100) {
      this.changedRefs.add(entityRef);
    }
    if (this.inFlight) {
      this.changedDuringRequest = true;
      return;
    }
    this.schedule();
  }

  /** Cancels a pending refresh and waits for a request in flight (backend shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    // A pending timer already covers this change.
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.requestRefresh().then(askAgain => {
        this.inFlight = undefined;
        if (askAgain || this.changedDuringRequest) this.schedule();
      });
    }, this.deps.debounceMs);
    // A pending refresh never keeps the process alive.
    this.timer.unref?.();
  }

  /** Resolves to true when the refresh was busy and must be asked for again; never rejects. */
  private async requestRefresh(): Promise<boolean> {
    const { refresh, logger } = this.deps;
    const refs = [...this.changedRefs];
    this.changedRefs.clear();
    this.changedDuringRequest = false;
    try {
      await refresh();
      logger.info('Catalog changed: machine identities refresh requested', {
        changed: refs.join(', '),
      });
      return false;
    } catch (error) {
      if (isError(error) && error.name === 'ConflictError') {
        // A refresh is running and may predate the change: ask again after it.
        refs.forEach(ref => this.changedRefs.add(ref));
        return true;
      }
      logger.warn(
        'Catalog changed, but the refresh could not be requested; the scheduled refresh will catch up',
        isError(error) ? error : undefined,
      );
      return false;
    }
  }
}

function refOf(payload: unknown): string | undefined {
  const ref = (payload as { entityRef?: unknown } | undefined)?.entityRef;
  return typeof ref === 'string' ? ref : undefined;
}
