import type { Knex } from 'knex';
import type { DateTime } from 'luxon';
import { FINDING_DEFINITIONS } from '@nhi-governance/plugin-nhi-common';
import {
  RecomputeRow,
  StatusWrite,
  applyFindingChanges,
  credentialKey,
  readMonitoredProviders,
  readRecomputePage,
  readSharedCredentialEnvironments,
  saveStatuses,
} from '../database/statusTable';
import { readWindowedEventFacts } from '../database/eventTable';
import { LedgerDraft, appendLedgerEntries } from '../database/ledgerTable';
import { adjustRollups, replaceRollups } from '../database/rollupTable';
import { computeStatus } from '../engine';
import { StoredStatus, toStoredStatus } from '../engine/storedStatus';
import type { Policy } from '../policy/Policy';
import { RollupAccumulator, isCompliant } from '../rollups/rollupFigures';
import { CatalogContext, buildFacts } from './buildFacts';
import { statusChange } from './statusChange';

export interface RecomputeResult {
  identities: number;
  statusChanges: number;
  findingsOpened: number;
  findingsClosed: number;
}

const PAGE_SIZE = 5000;

interface Windows {
  yesterday: string;
  baselineFrom: string;
  loginsFrom: string;
}

/**
 * Recomputes statuses against the policy, a page at a time. Each page runs in one transaction
 * that reads and locks the page's rows (`FOR UPDATE` on PostgreSQL; SQLite has one writer), so
 * the "before" of every change is what was committed last, even with another replica or a
 * second recompute at work. A page's statuses, findings, rollup differences and ledger entries
 * commit together.
 *
 * A full recompute also rebuilds the rollups from the statuses it visits; one over `refs` (the
 * identities an event batch touched) moves the rollups by the difference.
 */
export class StatusRecomputer {
  /** Providers known to report usage, as of the last full recompute. */
  private monitored?: Set<string>;
  /** Credentials declared in more than one environment, as of the last full recompute. */
  private shared?: Map<string, string[]>;

  constructor(private readonly knex: Knex, private readonly policy: Policy) {}

  async recompute(
    catalog: CatalogContext,
    now: DateTime,
    refs?: string[],
  ): Promise<RecomputeResult> {
    const full = !refs;
    // Which providers report usage, and which credentials are declared in several
    // environments, change with catalog syncs, each followed by a full recompute; between
    // them an event-driven recompute reuses what the last full one read.
    if (full || !this.monitored || !this.shared) {
      this.monitored = await readMonitoredProviders(this.knex);
      this.shared = await readSharedCredentialEnvironments(this.knex);
    }
    const shared = this.shared;
    const windows: Windows = {
      yesterday: now.minus({ days: 1 }).toUTC().toISODate()!,
      baselineFrom: now.minus({ days: 31 }).toUTC().toISODate()!,
      loginsFrom: now.minus({ days: 90 }).toUTC().toISO()!,
    };
    const result: RecomputeResult = {
      identities: 0,
      statusChanges: 0,
      findingsOpened: 0,
      findingsClosed: 0,
    };
    const rollups = new RollupAccumulator();
    const at = now.toUTC().toISO()!;

    const refPages: string[][] = [];
    for (let i = 0; refs && i < refs.length; i += PAGE_SIZE) {
      refPages.push(refs.slice(i, i + PAGE_SIZE));
    }
    let after = '';
    for (let index = 0; ; index++) {
      const which = refs
        ? refPages[index] && { refs: refPages[index] }
        : { after, limit: PAGE_SIZE };
      if (!which) break;
      const page = await this.knex.transaction(async trx => {
        const rows = await readRecomputePage(trx, which);
        if (rows.length === 0) return rows;
        const statuses = await this.computePage(
          trx,
          rows,
          catalog,
          shared,
          windows,
          now,
        );
        await this.writePage(trx, rows, statuses, at, result, full, rollups);
        return rows;
      });
      result.identities += page.length;
      if (!refs) {
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1].record.ref;
      }
    }
    if (full) {
      await replaceRollups(
        this.knex,
        rollups.result(),
        now.toUTC().toISODate()!,
      );
    }
    return result;
  }

  private async computePage(
    trx: Knex.Transaction,
    page: RecomputeRow[],
    catalog: CatalogContext,
    environments: Map<string, string[]>,
    windows: Windows,
    now: DateTime,
  ) {
    for (const { record, facts } of page) {
      if (record.provider && (facts.lastUsedAt || facts.lastAuthFailureDay))
        this.monitored!.add(record.provider);
    }
    // Counts over windows are read only for the few identities whose row shows recent logins
    // or failures; everything else the engine needs is on the row.
    const windowed = await readWindowedEventFacts(
      trx,
      {
        logins: page
          .filter(p => (p.facts.lastLoginAt ?? '') >= windows.loginsFrom)
          .map(p => p.record.ref),
        failures: page
          .filter(
            p => (p.facts.lastAuthFailureDay ?? '') >= windows.baselineFrom,
          )
          .map(p => p.record.ref),
      },
      windows,
    );
    return page.map(({ record, facts }) =>
      computeStatus(
        record,
        buildFacts(
          record,
          catalog,
          environments.get(credentialKey(record.provider, record.externalId)),
          facts,
          windowed.get(record.ref),
          this.monitored!,
          this.policy,
        ),
        this.policy,
        now,
      ),
    );
  }

  private async writePage(
    trx: Knex.Transaction,
    page: RecomputeRow[],
    statuses: ReturnType<typeof computeStatus>[],
    at: string,
    result: RecomputeResult,
    full: boolean,
    rollups: RollupAccumulator,
  ) {
    const writes: StatusWrite[] = [];
    const opened: Parameters<typeof applyFindingChanges>[1] = [];
    const closed: Parameters<typeof applyFindingChanges>[2] = [];
    const changes: LedgerDraft[] = [];
    const differences = new RollupAccumulator();
    page.forEach(({ record, statusText }, i) => {
      const before: StoredStatus | undefined = statusText
        ? JSON.parse(statusText)
        : undefined;
      const openedAt = new Map(before?.findings.map(f => [f.code, f.openedAt]));
      const stored = toStoredStatus(
        statuses[i],
        code => openedAt.get(code) ?? at,
      );
      if (full) rollups.add(record, stored);
      const text = JSON.stringify(stored);
      // An identity whose status is exactly as stored needs no write at all.
      if (text === statusText) return;
      writes.push({
        ref: record.ref,
        stored,
        text,
        compliant: isCompliant(stored),
      });
      if (!full) {
        if (before) differences.add(record, before, -1);
        differences.add(record, stored);
      }
      const change = statusChange(record.ref, before, stored);
      if (!change) return;
      changes.push(change.draft);
      for (const f of change.opened) {
        opened.push({
          identity_ref: record.ref,
          code: f.code,
          severity: FINDING_DEFINITIONS[f.code].severity,
          opened_at: f.openedAt,
        });
      }
      for (const code of change.closed) {
        closed.push({ identity_ref: record.ref, code });
      }
      if (change.moved) result.statusChanges++;
    });
    result.findingsOpened += opened.length;
    result.findingsClosed += closed.length;
    await saveStatuses(trx, writes, at);
    await applyFindingChanges(trx, opened, closed);
    if (!full) await adjustRollups(trx, differences.result());
    await appendLedgerEntries(trx, changes, at);
  }
}
