import type { FindingCode } from '@nhi-governance/plugin-nhi-common';
import { recentFrom } from './anomaly';
import { latest, parseDate } from './dates';
// The evaluator type comes from the extension API, not findings.ts, which imports these rules.
import type { FindingEvaluator as Rule } from '@nhi-governance/plugin-nhi-node';

const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** Where a leak was found, in one line; never the secret. */
const whereLeaked = (l: {
  repository?: string;
  file?: string;
  line?: number;
  commit?: string;
  scanner: string;
  rule: string;
}) =>
  `${
    [l.repository, l.file, l.line].filter(v => v !== undefined).join(':') ||
    'unknown location'
  }${l.commit ? ` @ ${l.commit.slice(0, 12)}` : ''} (${l.scanner} ${l.rule})`;

/** Findings raised from what discovery sources, usage logs and leak scanners say. */
export const DISCOVERY_RULES: Partial<Record<FindingCode, Rule>> = {
  undeclared: ({ facts }) => {
    const found = facts.sources.find(s => s.discovered);
    return found
      ? {
          source: found.sourceId,
          readAt: found.readAt,
          credentials: (found.credentials ?? []).map(c => c.externalId),
        }
      : undefined;
  },

  // Only a complete read writes `listed: false`; a failed or partial one writes nothing.
  'missing-at-source': ({ facts }) => {
    const credentialSources = facts.sources.filter(s => s.listed !== undefined);
    const missing = credentialSources.filter(s => s.listed === false);
    if (!missing.length || credentialSources.some(s => s.listed))
      return undefined;
    return {
      sources: missing.map(s => s.sourceId),
      readAt: missing.map(s => s.readAt).sort()[missing.length - 1],
    };
  },

  // A leak stays a finding until the credential is rotated after it was found.
  'secret-leaked': ({ identity, facts }) => {
    const rotated = latest(
      parseDate(identity.credential.lastRotatedAt),
      parseDate(facts.lastRotationEventAt),
    );
    const leaks = facts.sources.flatMap(s =>
      (s.leaks ?? []).map(l => ({ ...l, foundAt: l.date ?? s.readAt })),
    );
    const open = leaks.filter(l => {
      const found = parseDate(l.foundAt);
      return !rotated || !found || found >= rotated;
    });
    const proven = facts.sources.flatMap(s =>
      (s.findings ?? []).filter(f => f.code === 'secret-leaked'),
    );
    if (!open.length && !proven.length) return undefined;
    return {
      ...(open.length
        ? {
            locations: open.map(whereLeaked),
            foundAt: open.map(l => l.foundAt).sort()[0],
            verified: open.some(l => l.verified) ? 'yes' : 'no',
          }
        : {}),
      ...(proven.length ? { reportedBySource: proven.map(f => f.detail) } : {}),
    };
  },

  'root-access-key': ({ facts }) => {
    const proven = facts.sources.flatMap(s =>
      (s.findings ?? []).filter(f => f.code === 'root-access-key'),
    );
    return proven.length
      ? { cis: 'CIS AWS Foundations 1.4', detail: proven.map(f => f.detail) }
      : undefined;
  },

  anomaly: ({ facts, policy, now }) => {
    const from = recentFrom(policy.anomaly, now);
    const days = (facts.unusualDays ?? []).filter(d => d.day >= from);
    if (!days.length) return undefined;
    const distinct = (values: string[]) => [...new Set(values)];
    return {
      days: days.map(d => d.day),
      usage: days.map(
        d =>
          `${d.day}: ${d.uses} uses (baseline median ${d.baselineMedianUses} over ${d.baselineDays} days)` +
          `${
            d.newAddresses.length
              ? `; new addresses ${d.newAddresses.join(', ')}`
              : ''
          }` +
          `${
            d.newRegions.length
              ? `; new regions ${d.newRegions.join(', ')}`
              : ''
          }` +
          `${
            d.newHours.length
              ? `; new hours ${d.newHours.map(hour).join(', ')} UTC`
              : ''
          }` +
          `${d.spike ? '; volume spike' : ''}`,
      ),
      newAddresses: distinct(days.flatMap(d => d.newAddresses)),
      newRegions: distinct(days.flatMap(d => d.newRegions)),
      newHours: distinct(days.flatMap(d => d.newHours.map(hour))),
      volumeSpikeDays: days.filter(d => d.spike).map(d => d.day),
    };
  },
};
