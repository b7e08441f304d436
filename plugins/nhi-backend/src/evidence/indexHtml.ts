import {
  AI_GOVERNANCE_REFERENCES,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import { NOT_CHECKED } from '@nhi-governance/nhi-evidence';
import { controlMatrix } from './controlMatrix';
import { escape, table } from './htmlTable';
import type { PackageSummary } from './packageSummary';

/** How the package was made, as its first table shows it. */
export interface IndexMeta {
  period: { from: string; to: string };
  campaign?: { id: string; period: string };
  generatedAt: string;
  generatedBy: string;
  ledgerHead: { seq: number; hash: string };
}

const sum = (m: Record<string, number>) =>
  Object.values(m).reduce((a, b) => a + b, 0);

/** The period, the scope, who made the package and from which ledger head, how to verify it. */
function aboutThePackage(meta: IndexMeta, s: PackageSummary) {
  return table(
    ['', ''],
    [
      [
        'Period',
        `${meta.period.from} to ${meta.period.to} (UTC, both days included)`,
      ],
      [
        'Scope',
        `every machine identity present during the period: ${s.population}`,
      ],
      ...(meta.campaign
        ? [
            [
              'Campaign',
              `${meta.campaign.period} (${meta.campaign.id}): the period is the days it ran`,
            ],
          ]
        : []),
      ['Generated', `${meta.generatedAt} by ${meta.generatedBy}`],
      ['Ledger head', `entry ${meta.ledgerHead.seq}, ${meta.ledgerHead.hash}`],
      [
        'Verify',
        'npx nhi-evidence verify <this zip>: recomputes every hash and the ledger chain',
      ],
    ],
  );
}

/** The AI governance references, shown only when AI agents or workload identities are in scope. */
function aiAndWorkloadIdentities(s: PackageSummary) {
  return s.aiOrWorkload
    ? `<h2>AI agents and workload identities</h2><p>${
        s.aiOrWorkload
      } identities of these types are in scope; the same evidence answers these references too.</p>${table(
        ['Reference', 'What it asks'],
        Object.entries(AI_GOVERNANCE_REFERENCES),
      )}`
    : '';
}

/** Each finding seen in the period: open at the start, opened, closed, excepted, open at the end. */
function findingsOverThePeriod(s: PackageSummary) {
  const codes = [
    ...new Set([
      ...Object.keys(s.findings.opened),
      ...Object.keys(s.findings.closed),
      ...Object.keys(s.findings.excepted),
      ...Object.keys(s.findings.openAtStart),
      ...Object.keys(s.findings.openAtEnd),
    ]),
  ].sort();
  const rows = codes.map(code => [
    builtInFindingDefinition(code)?.title ?? code,
    code,
    s.findings.openAtStart[code] ?? 0,
    s.findings.opened[code] ?? 0,
    s.findings.closed[code] ?? 0,
    s.findings.excepted[code] ?? 0,
    s.findings.openAtEnd[code] ?? 0,
  ]);
  return `${table(
    [
      'Finding',
      'Code',
      'Open at the start',
      'Opened',
      'Closed',
      'Excepted',
      'Open at the end',
    ],
    rows,
  )}
<p>Total open at the start of the period: ${sum(
    s.findings.openAtStart,
  )}; at the end: ${sum(s.findings.openAtEnd)}.</p>`;
}

/** Each campaign's items, decided and escalated counts, and its decisions by kind. */
function campaignResults(s: PackageSummary) {
  return table(
    ['Campaign', 'Items', 'Decided', 'Escalated', 'Decisions'],
    Object.entries(s.campaigns)
      .sort()
      .map(([period, c]) => [
        period,
        c.items,
        c.decided,
        c.escalated,
        Object.entries(c.byDecision)
          .sort()
          .map(([d, n]) => `${d}: ${n}`)
          .join(', '),
      ]),
  );
}

/**
 * What `nhi-evidence verify` cannot vouch for, as it lists it itself: an auditor sees which
 * cells rest on the backend's word alone. It lists as well the rows of a package whose ledger
 * entry is not in it.
 */
function notVerified() {
  return `<p>The verifier compares every other cell of the CSV files with the ledger entry that recorded it. It cannot vouch for these, and says so in its own output too, with the rows of this package it could not check:</p>
${table(
  ['File', 'Columns', 'Why'],
  NOT_CHECKED.map(n => [n.file, n.columns.join(', ') || '(whole file)', n.why]),
)}`;
}

/**
 * index.html: a self-contained, printable report of the package: the period and how it was
 * made, the control matrix, findings at the start and end of the period, campaign results.
 */
export function renderIndexHtml(meta: IndexMeta, s: PackageSummary): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Machine identity evidence ${escape(meta.period.from)} to ${escape(
    meta.period.to,
  )}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.85rem}
th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}
code{word-break:break-all}
@media print{body{margin:0}}
</style></head><body>
<h1>Machine identity evidence</h1>
${aboutThePackage(meta, s)}
<h2>Control matrix</h2>
${controlMatrix(s)}
${aiAndWorkloadIdentities(s)}
<h2>Identities by type</h2>
${table(['Type', 'Identities'], Object.entries(s.byType).sort())}
<h2>Findings over the period</h2>
${findingsOverThePeriod(s)}
<h2>Campaign results</h2>
${campaignResults(s)}
<h2>What the offline verifier does not check</h2>
${notVerified()}
</body></html>
`;
}
