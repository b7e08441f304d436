import type { Knex } from 'knex';
import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import {
  credentialKey,
  readCredentialEnvironments,
  readOpenFindings,
  readPresentIdentities,
  saveStatuses,
} from '../database/identityTable';
import { LedgerDraft, appendLedgerEntries } from '../database/ledgerTable';
import {
  NO_EVENT_FACTS,
  readEventFacts,
  readMonitoredProviders,
} from '../database/eventTable';
import { computeStatus } from '../engine';
import type { Policy } from '../policy/Policy';
import { CatalogContext, buildFacts } from './buildFacts';

export interface RecomputeResult {
  identities: number;
  statusChanges: number;
  findingsOpened: number;
  findingsClosed: number;
}

/** What the ledger records when an identity's status moves: the changes, not the whole status. */
function statusChanges(
  ref: string,
  before: IdentityStatus | undefined,
  after: IdentityStatus,
): LedgerDraft[] {
  const drafts: LedgerDraft[] = [];
  const moved = (
    [
      ['rotation', before?.rotation.status, after.rotation.status],
      ['usage', before?.usage.status, after.usage.status],
      ['review', before?.review.status, after.review.status],
    ] as const
  ).filter(([, from, to]) => from !== to);
  if (moved.length > 0) {
    drafts.push({
      kind: 'status.changed',
      subject: ref,
      payload: Object.fromEntries(
        moved.map(([what, from, to]) => [what, { from: from ?? null, to }]),
      ),
    });
  }
  const beforeCodes = new Set(before?.findings.map(f => f.code));
  const afterCodes = new Set(after.findings.map(f => f.code));
  for (const f of after.findings) {
    if (!beforeCodes.has(f.code)) {
      drafts.push({
        kind: 'finding.opened',
        subject: ref,
        payload: { code: f.code, severity: f.severity, evidence: f.evidence },
      });
    }
  }
  for (const code of beforeCodes) {
    if (!afterCodes.has(code)) {
      drafts.push({ kind: 'finding.closed', subject: ref, payload: { code } });
    }
  }
  return drafts;
}

/**
 * Recomputes the status of every present identity against the policy, a page at a time. Each
 * page's statuses, open findings and ledger entries commit together.
 */
export class StatusRecomputer {
  constructor(private readonly knex: Knex, private readonly policy: Policy) {}

  /** Recomputes every present identity, or only `refs` (e.g. those an event batch touched). */
  async recompute(
    catalog: CatalogContext,
    now: DateTime,
    refs?: string[],
  ): Promise<RecomputeResult> {
    const at = now.toUTC().toISO()!;
    const environments = await readCredentialEnvironments(this.knex);
    const monitored = await readMonitoredProviders(this.knex);
    const day = (d: DateTime) => d.toUTC().toISODate()!;
    const days = {
      today: day(now),
      yesterday: day(now.minus({ days: 1 })),
      baselineFrom: day(now.minus({ days: 31 })),
      loginsFrom: now.minus({ days: 90 }).toUTC().toISO()!,
    };
    const result: RecomputeResult = {
      identities: 0,
      statusChanges: 0,
      findingsOpened: 0,
      findingsClosed: 0,
    };
    for await (const page of readPresentIdentities(this.knex, { refs })) {
      const pageRefs = page.map(i => i.record.ref);
      const opened = await readOpenFindings(this.knex, pageRefs);
      const events = await readEventFacts(this.knex, pageRefs, days);
      const updates = page.map(stored => {
        const { record } = stored;
        const facts = buildFacts(
          record,
          catalog,
          environments.get(credentialKey(record.provider, record.externalId)) ??
            [],
          events.get(record.ref) ?? NO_EVENT_FACTS,
          monitored,
          this.policy,
        );
        const status = computeStatus(record, facts, this.policy, now);
        return {
          ref: record.ref,
          status,
          openedAt: opened.get(record.ref) ?? {},
          drafts: statusChanges(record.ref, stored.status, status),
        };
      });
      // An identity whose status is exactly as stored needs no write at all.
      const changed = updates.filter(
        (u, i) => JSON.stringify(page[i].status) !== JSON.stringify(u.status),
      );
      const drafts = changed.flatMap(u => u.drafts);
      await this.knex.transaction(async trx => {
        await saveStatuses(trx, changed, at);
        await appendLedgerEntries(trx, drafts, at);
      });
      result.identities += page.length;
      for (const d of drafts) {
        if (d.kind === 'status.changed') result.statusChanges++;
        if (d.kind === 'finding.opened') result.findingsOpened++;
        if (d.kind === 'finding.closed') result.findingsClosed++;
      }
    }
    return result;
  }
}
