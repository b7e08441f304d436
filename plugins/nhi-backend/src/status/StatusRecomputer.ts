import { createHash, hash } from 'crypto';
import type { NhiStores } from '../database/NhiStores';
import type { DateTime } from 'luxon';
import {
  FINDING_DEFINITIONS,
  IdentityStatus,
} from '@nhi-governance/plugin-nhi-common';
import { StatusStore, StatusWrite, credentialKey } from './store/StatusStore';
import type { RecomputeRow } from './store/RecomputeRow';

import type { LedgerDraft } from '../ledger/LedgerDraft';

import { FindingRuleRegistry, computeStatus } from '../engine';
import { nextChangeAt } from '../engine/nextChange';
import { recentUseFrom, usageAsInput } from '../engine/usage';
import { withSourceDates } from '../engine/sourceDates';

import { StoredStatus, toStoredStatus } from '../engine/storedStatus';
import type { Policy } from '../policy/Policy';
import {
  RollupAccumulator,
  isCompliant,
  profileOf,
  rollupSubject,
} from '../rollups/rollupFigures';
import { CatalogContext, buildFacts } from './buildFacts';
import { statusChange } from './statusChange';

export interface RecomputeResult {
  identities: number;
  /** Identities whose inputs were as before and whose status still held: not recomputed. */
  skipped: number;
  statusChanges: number;
  findingsOpened: number;
  findingsClosed: number;
}

const PAGE_SIZE = 5000;
/** The validity of a status that only new facts can change. */
const FOREVER = '9999-12-31T23:59:59.999Z';

/**
 * When each finding opened: as stored while it stays, now when it is new or comes back from an
 * exception that expired.
 */
function openedSince(
  before: StoredStatus | undefined,
  status: IdentityStatus,
  at: string,
) {
  const was = new Map(before?.findings.map(f => [f.code, f]));
  const excepted = new Set(
    status.findings.filter(f => f.exception).map(f => f.code),
  );
  return (code: string) => {
    const b = was.get(code as StoredStatus['findings'][number]['code']);
    return b && !(b.exception && !excepted.has(b.code)) ? b.openedAt : at;
  };
}

interface Evaluation {
  inputs: string;
  validUntil: string;
  /** Undefined when the stored status still holds. */
  status?: IdentityStatus;
}

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
    // Which providers report usage, and which credentials are declared in several
    // environments, change with catalog syncs, each followed by a full recompute; between
    // them an event-driven recompute reuses what the last full one read.
    if (full || !this.monitored || !this.shared) {
      this.monitored = await this.stores.status.readMonitoredProviders();
      this.shared = await this.stores.status.readSharedCredentialEnvironments();
    }
    const shared = this.shared;
    const windows: Windows = {
      yesterday: now.minus({ days: 1 }).toUTC().toISODate()!,
      baselineFrom: now.minus({ days: 31 }).toUTC().toISODate()!,
      loginsFrom: now.minus({ days: 90 }).toUTC().toISO()!,
    };
    const result: RecomputeResult = {
      identities: 0,
      skipped: 0,
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
      const page = await this.stores.transaction(async trx => {
        let rows = await trx.status.readRecomputePage(which);
        const evaluate = (subset: RecomputeRow[]) =>
          this.evaluatePage(
            trx,
            subset,
            catalog,
            shared,
            windows,
            now,
            options.force ?? false,
            rebuild,
          );
        let evaluations = await evaluate(rows);
        // Read without locks (most identities are unchanged); lock what is to be written, and
        // evaluate again any that another writer changed meanwhile.
        const moved = new Set(
          await trx.status.lockForWrite(
            rows.filter((_, i) => evaluations[i].status),
          ),
        );
        if (moved.size > 0) {
          const fresh = await trx.status.readRecomputePage({
            refs: [...moved],
          });
          const again = new Map(
            (await evaluate(fresh)).map((e, i) => [
              fresh[i].ref,
              { row: fresh[i], e },
            ]),
          );
          evaluations = rows.map(
            (r, i) => again.get(r.ref)?.e ?? evaluations[i],
          );
          rows = rows.map(r => again.get(r.ref)?.row ?? r);
        }
        await this.writePage(
          trx,
          rows,
          evaluations,
          at,
          result,
          rebuild ? rollups : undefined,
        );
        return rows;
      });
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
   * Each identity's facts, the digest of its inputs, and, unless those match what its stored
   * status was computed from and the stored status still holds, its status computed afresh.
   */
  private async evaluatePage(
    trx: NhiStores,
    page: RecomputeRow[],
    catalog: CatalogContext,
    environments: Map<string, string[]>,
    windows: Windows,
    now: DateTime,
    force: boolean,
    /** The rollups are rebuilt: what every identity counts as is needed, held or not. */
    rebuild: boolean,
  ): Promise<Evaluation[]> {
    for (const { identity, facts } of page) {
      if (identity.provider && (facts.lastUsedAt || facts.lastAuthFailureDay))
        this.monitored!.add(identity.provider);
    }
    // Counts over windows are read only for the few identities whose row shows recent logins
    // or failures; everything else the engine needs is on the row.
    const windowed = await trx.events.readWindowedEventFacts(
      {
        logins: page
          .filter(p => (p.facts.lastLoginAt ?? '') >= windows.loginsFrom)
          .map(p => p.ref),
        failures: page
          .filter(
            p => (p.facts.lastAuthFailureDay ?? '') >= windows.baselineFrom,
          )
          .map(p => p.ref),
      },
      windows,
    );
    const sources = await trx.sourceLinks.readSourceFacts(page.map(p => p.ref));
    const nowIso = now.toUTC().toISO()!;
    const recentUse = recentUseFrom(this.policy, now);
    const prepared = page.map(row => {
      const { identity } = row;
      const facts = buildFacts(
        identity,
        catalog,
        environments.get(credentialKey(identity.provider, identity.externalId)),
        row.facts,
        windowed.get(row.ref),
        this.monitored!,
        this.policy,
        row.governance,
        sources.get(row.ref)?.facts,
      );
      const inputs = hash(
        'sha1',
        this.policyDigest +
          row.specHash +
          JSON.stringify(usageAsInput(facts, recentUse)) +
          (sources.get(row.ref)?.text ?? '') +
          (row.facts.anomalies ?? ''),
        'base64',
      );
      const holds =
        !force &&
        row.statusInputs !== null &&
        inputs === row.statusInputs &&
        (row.validUntil ?? '') > nowIso;
      return { row, facts, inputs, holds };
    });
    await trx.status.readRecomputeDetails(
      prepared.filter(p => rebuild || !p.holds).map(p => p.row),
    );
    return prepared.map(({ row, facts, inputs, holds }) => {
      if (holds) return { inputs, validUntil: row.validUntil! };
      // What sources say of the dates wins over what was declared.
      const record = withSourceDates(row.record, facts.sources);
      return {
        inputs,
        validUntil:
          nextChangeAt(record, facts, this.policy, now)?.toUTC().toISO() ??
          FOREVER,
        status: computeStatus(record, facts, this.policy, now, this.rules),
      };
    });
  }

  private async writePage(
    trx: NhiStores,
    page: RecomputeRow[],
    evaluations: Evaluation[],
    at: string,
    result: RecomputeResult,
    /** Given when the rollups are rebuilt: every status visited is added to it. */
    rebuilt?: RollupAccumulator,
  ) {
    const writes: StatusWrite[] = [];
    const opened: Parameters<StatusStore['applyFindingChanges']>[0] = [];
    const closed: Parameters<StatusStore['applyFindingChanges']>[1] = [];
    const changes: LedgerDraft[] = [];
    const differences = new RollupAccumulator();
    page.forEach((row, i) => {
      const { status, inputs, validUntil } = evaluations[i];
      if (!status) {
        result.skipped++;
        if (rebuilt && row.storedSubject) rebuilt.add(row.storedSubject);
        return;
      }
      const { record, statusText } = row;
      const before: StoredStatus | undefined = statusText
        ? JSON.parse(statusText)
        : undefined;
      const stored = toStoredStatus(status, openedSince(before, status, at));
      const subject = rollupSubject(record, stored);
      if (rebuilt) rebuilt.add(subject);
      else if (
        !row.storedSubject ||
        profileOf(row.storedSubject) !== profileOf(subject)
      ) {
        // Not counted yet (new, or changed by a sync), or counted under another profile.
        if (row.storedSubject) differences.add(row.storedSubject, -1);
        differences.add(subject);
      }
      const text = JSON.stringify(stored);
      const same = text === statusText;
      // Nothing to write when the status, what it came from and how long it holds are as stored.
      if (same && inputs === row.statusInputs && validUntil === row.validUntil)
        return;
      writes.push({
        ref: record.ref,
        stored,
        text,
        compliant: isCompliant(stored),
        inputs,
        validUntil,
      });
      if (same) return;
      const change = statusChange(record.ref, before, stored);
      if (!change) return;
      changes.push(change.draft);
      for (const f of change.opened) {
        opened.push({
          identity_ref: record.ref,
          code: f.code,
          severity:
            FINDING_DEFINITIONS[f.code]?.severity ??
            f.definition?.severity ??
            'medium',
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
    await trx.status.saveStatuses(writes, at);
    await trx.status.applyFindingChanges(opened, closed);
    await trx.rollups.adjustRollups(differences.result());
    await trx.ledger.appendLedgerEntries(changes, at);
  }
}
