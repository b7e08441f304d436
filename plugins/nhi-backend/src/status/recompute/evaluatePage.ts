import { hash } from 'crypto';
import type { DateTime } from 'luxon';
import type { NhiStores } from '../../database/NhiStores';
import { FindingRuleRegistry, computeStatus } from '../../engine';
import { nextChangeAt } from '../../engine/nextChange';
import { withSourceDates } from '../../engine/sourceDates';
import { recentUseFrom, usageAsInput } from '../../engine/usage';
import type { Policy } from '../../policy/Policy';
import { CatalogContext, buildFacts } from '../buildFacts';
import type { RecomputeRow } from '../store/RecomputeRow';
import { credentialKey } from '../store/StatusStore';
import type { Evaluation } from './types';

/** The validity of a status that only new facts can change. */
const FOREVER = '9999-12-31T23:59:59.999Z';

/** The windows event counts are read over. */
export interface Windows {
  yesterday: string;
  baselineFrom: string;
  loginsFrom: string;
}

export const windowsAt = (now: DateTime): Windows => ({
  yesterday: now.minus({ days: 1 }).toUTC().toISODate()!,
  baselineFrom: now.minus({ days: 31 }).toUTC().toISODate()!,
  loginsFrom: now.minus({ days: 90 }).toUTC().toISO()!,
});

/** What every identity of a recompute is evaluated against. */
export interface EvaluationContext {
  policy: Policy;
  rules: FindingRuleRegistry;
  /** The digest of the policy and the module rules, part of every identity's inputs. */
  policyDigest: string;
  /** Providers known to report usage; the page adds those it shows reporting. */
  monitored: Set<string>;
  catalog: CatalogContext;
  /** Credentials declared in more than one environment. */
  environments: Map<string, string[]>;
  windows: Windows;
  now: DateTime;
  force: boolean;
  /** The rollups are rebuilt: what every identity counts as is needed, held or not. */
  rebuild: boolean;
}

/**
 * Each identity's facts, the digest of its inputs, and, unless those match what its stored
 * status was computed from and the stored status still holds, its status computed afresh.
 */
export async function evaluatePage(
  trx: NhiStores,
  page: RecomputeRow[],
  context: EvaluationContext,
): Promise<Evaluation[]> {
  const { policy, now } = context;
  for (const { identity, facts } of page) {
    if (identity.provider && (facts.lastUsedAt || facts.lastAuthFailureDay))
      context.monitored.add(identity.provider);
  }
  const windowed = await readWindowed(trx, page, context.windows);
  const sources = await trx.sourceLinks.readSourceFacts(page.map(p => p.ref));
  const nowIso = now.toUTC().toISO()!;
  const recentUse = recentUseFrom(policy, now);
  const prepared = page.map(row => {
    const { identity } = row;
    const facts = buildFacts(
      identity,
      context.catalog,
      context.environments.get(
        credentialKey(identity.provider, identity.externalId),
      ),
      row.facts,
      windowed.get(row.ref),
      context.monitored,
      policy,
      row.governance,
      sources.get(row.ref)?.facts,
    );
    const inputs = hash(
      'sha1',
      context.policyDigest +
        row.specHash +
        JSON.stringify(usageAsInput(facts, recentUse)) +
        (sources.get(row.ref)?.text ?? '') +
        (row.facts.anomalies ?? ''),
      'base64',
    );
    const holds =
      !context.force &&
      row.statusInputs !== null &&
      inputs === row.statusInputs &&
      (row.validUntil ?? '') > nowIso;
    return { row, facts, inputs, holds };
  });
  await trx.status.readRecomputeDetails(
    prepared.filter(p => context.rebuild || !p.holds).map(p => p.row),
  );
  return prepared.map(({ row, facts, inputs, holds }) => {
    if (holds) return { inputs, validUntil: row.validUntil! };
    // What sources say of the dates wins over what was declared.
    const record = withSourceDates(row.record, facts.sources);
    return {
      inputs,
      validUntil:
        nextChangeAt(record, facts, policy, now)?.toUTC().toISO() ?? FOREVER,
      status: computeStatus(record, facts, policy, now, context.rules),
    };
  });
}

/**
 * Counts over windows, read only for the few identities whose row shows recent logins or
 * failures; everything else the engine needs is on the row.
 */
function readWindowed(trx: NhiStores, page: RecomputeRow[], windows: Windows) {
  return trx.events.readWindowedEventFacts(
    {
      logins: page
        .filter(p => (p.facts.lastLoginAt ?? '') >= windows.loginsFrom)
        .map(p => p.ref),
      failures: page
        .filter(p => (p.facts.lastAuthFailureDay ?? '') >= windows.baselineFrom)
        .map(p => p.ref),
    },
    windows,
  );
}
