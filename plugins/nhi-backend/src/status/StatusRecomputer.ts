import { createHash } from 'crypto';
import type { DateTime } from 'luxon';
import type { NhiStores } from '../database/NhiStores';
import { FindingRuleRegistry } from '../engine';
import type { Policy } from '../policy/Policy';
import { RollupAccumulator } from '../rollups/rollupFigures';
import type { CatalogContext } from './buildFacts';
import {
  EvaluationContext,
  evaluatePage,
  windowsAt,
} from './recompute/evaluatePage';
import {
  addResult,
  emptyResult,
  type RecomputeResult,
} from './recompute/types';
import { writePage } from './recompute/writePage';

export type { RecomputeResult } from './recompute/types';

const PAGE_SIZE = 5000;

/** Which page to read next: a slice of the refs asked for, or the next keyset page of all. */
type PageQuery = { refs: string[] } | { after: string; limit: number };

/**
 * Recomputes statuses against the policy, a page at a time. Each page runs in one transaction
 * that reads and locks the page's rows (`FOR UPDATE` on PostgreSQL; SQLite has one writer), so
 * the "before" of every change is what was committed last, even with another replica or a
 * second recompute at work. A page's statuses, findings, rollup differences and ledger entries
 * commit together.
 *
 * An identity is recomputed only when the digest of its inputs (its spec, its event facts, the
 * catalog around it, the policy) differs from what its stored status was computed from, or
 * when the moment its status could change with time has come; `force` recomputes everything.
 *
 * The rollups move by the difference of each identity whose status (or whatever it counts
 * under) changed, in the transaction that writes it, and a full recompute records the day's
 * trend point from them. The first full recompute of a process, and a forced one, rebuild
 * them from every status instead.
 */
export class StatusRecomputer {
  /** Providers known to report usage, as of the last full recompute. */
  private monitored?: Set<string>;
  /** Credentials declared in more than one environment, as of the last full recompute. */
  private shared?: Map<string, string[]>;

  private readonly policyDigest: string;
  private rebuiltRollups = false;

  constructor(
    private readonly stores: NhiStores,
    private readonly policy: Policy,
    private readonly rules = FindingRuleRegistry.withBuiltIns(),
  ) {
    // A policy change, or a finding rule added or removed, changes every identity's inputs,
    // so everything is recomputed.
    this.policyDigest = createHash('sha1')
      .update(JSON.stringify(policy))
      .update(rules.moduleCodes().join(','))
      .digest('base64');
  }

  async recompute(
    catalog: CatalogContext,
    now: DateTime,
    refs?: string[],
    options: { force?: boolean } = {},
  ): Promise<RecomputeResult> {
    const full = !refs;
    // The first full run of a process rebuilds them too: whatever a process that stopped
    // mid-way, or an older version, left behind is put right at start.
    const rebuild = full && (options.force || !this.rebuiltRollups);
    const context = await this.contextFor(catalog, now, full, options, rebuild);
    const result = emptyResult();
    const rollups = new RollupAccumulator();
    const at = now.toUTC().toISO()!;
    const refPages: string[][] = [];
    for (let i = 0; refs && i < refs.length; i += PAGE_SIZE) {
      refPages.push(refs.slice(i, i + PAGE_SIZE));
    }
    let after = '';
    for (let index = 0; ; index++) {
      const which: PageQuery | undefined = refs
        ? refPages[index] && { refs: refPages[index] }
        : { after, limit: PAGE_SIZE };
      if (!which) break;
      // Tallied per page and added once the page committed: the database may run a page's
      // transaction again (a deadlock), which must not count it twice.
      const {
        rows: page,
        tally,
        pageRollups,
      } = await this.stores.transaction(async trx => {
        const { rows, evaluations } = await this.evaluateLocked(
          trx,
          which,
          context,
        );
        const counts = emptyResult();
        const visited = rebuild ? new RollupAccumulator() : undefined;
        await writePage(trx, rows, evaluations, at, counts, visited);
        return { rows, tally: counts, pageRollups: visited };
      });
      addResult(result, tally);
      if (pageRollups) rollups.merge(pageRollups);
      result.identities += page.length;
      if (!refs) {
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1].ref;
      }
    }
    const day = now.toUTC().toISODate()!;
    if (rebuild) {
      await this.stores.rollups.replaceRollups(rollups.result(), day);
      this.rebuiltRollups = true;
    } else if (full) await this.stores.rollups.recordRollupHistory(day);
    return result;
  }

  /**
   * Which providers report usage, and which credentials are declared in several environments,
   * change with catalog syncs, each followed by a full recompute; between them an
   * event-driven recompute reuses what the last full one read.
   */
  private async contextFor(
    catalog: CatalogContext,
    now: DateTime,
    full: boolean,
    options: { force?: boolean },
    rebuild: boolean,
  ): Promise<EvaluationContext> {
    if (full || !this.monitored || !this.shared) {
      this.monitored = await this.stores.status.readMonitoredProviders();
      this.shared = await this.stores.status.readSharedCredentialEnvironments();
    }
    return {
      policy: this.policy,
      rules: this.rules,
      policyDigest: this.policyDigest,
      monitored: this.monitored,
      catalog,
      environments: this.shared,
      windows: windowsAt(now),
      now,
      force: options.force ?? false,
      rebuild,
    };
  }

  /**
   * Reads and evaluates a page without locks (most identities are unchanged), then locks what
   * is to be written and evaluates again any that another writer changed meanwhile.
   */
  private async evaluateLocked(
    trx: NhiStores,
    which: PageQuery,
    context: EvaluationContext,
  ) {
    let rows = await trx.status.readRecomputePage(which);
    let evaluations = await evaluatePage(trx, rows, context);
    const moved = new Set(
      await trx.status.lockForWrite(
        rows.filter((_, i) => evaluations[i].status),
      ),
    );
    if (moved.size > 0) {
      const fresh = await trx.status.readRecomputePage({ refs: [...moved] });
      const again = new Map(
        (await evaluatePage(trx, fresh, context)).map((e, i) => [
          fresh[i].ref,
          { row: fresh[i], e },
        ]),
      );
      evaluations = rows.map((r, i) => again.get(r.ref)?.e ?? evaluations[i]);
      rows = rows.map(r => again.get(r.ref)?.row ?? r);
    }
    return { rows, evaluations };
  }
}
