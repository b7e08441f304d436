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

  async recompute(
    catalog: CatalogContext,
    now: DateTime,
  ): Promise<RecomputeResult> {
    const at = now.toUTC().toISO()!;
    const environments = await readCredentialEnvironments(this.knex);
    const result: RecomputeResult = {
      identities: 0,
      statusChanges: 0,
      findingsOpened: 0,
      findingsClosed: 0,
    };
    for await (const page of readPresentIdentities(this.knex)) {
      const opened = await readOpenFindings(
        this.knex,
        page.map(i => i.record.ref),
      );
      const updates = page.map(stored => {
        const { record } = stored;
        const facts = buildFacts(
          record,
          catalog,
          environments.get(credentialKey(record.provider, record.externalId)) ??
            [],
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
      const drafts = updates.flatMap(u => u.drafts);
      await this.knex.transaction(async trx => {
        await saveStatuses(trx, updates, at);
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
