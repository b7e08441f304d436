import {
  AI_GOVERNANCE_REFERENCES,
  FINDING_DEFINITIONS,
  NIST_CSF_1_1_EQUIVALENTS,
  NistCsfControl,
  SOC2_CONTROLS,
  Soc2Control,
} from '@nhi-governance/plugin-nhi-common';
import type { PackageSummary } from './packageSummary';

const escape = (text: unknown) =>
  String(text ?? '').replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

const table = (head: string[], rows: unknown[][]) =>
  `<table><thead><tr>${head
    .map(h => `<th>${escape(h)}</th>`)
    .join('')}</tr></thead><tbody>${
    rows.length
      ? rows
          .map(r => `<tr>${r.map(c => `<td>${escape(c)}</td>`).join('')}</tr>`)
          .join('')
      : `<tr><td colspan="${head.length}">none</td></tr>`
  }</tbody></table>`;

/** The NIST CSF and OWASP NHI references of the findings a SOC 2 control covers. */
function referencesOf(control: Soc2Control) {
  const nist = new Set<NistCsfControl>();
  const owasp = new Set<string>();
  for (const d of Object.values(FINDING_DEFINITIONS)) {
    if (!d.controls.soc2.includes(control)) continue;
    d.controls.nistCsf.forEach(n => nist.add(n));
    d.controls.owaspNhi.forEach(o => owasp.add(o));
  }
  const csf = [...nist]
    .sort()
    .map(n => `${n} (CSF 1.1: ${NIST_CSF_1_1_EQUIVALENTS[n].join(', ')})`);
  return { csf: csf.join('; '), owasp: [...owasp].sort().join(', ') };
}

const sum = (m: Record<string, number>) =>
  Object.values(m).reduce((a, b) => a + b, 0);

/** What each control rests on: its population, its exceptions, the files behind it. */
function controlMatrix(s: PackageSummary) {
  const reviewItems = Object.values(s.campaigns).reduce(
    (a, c) => a + c.items,
    0,
  );
  const undecided = Object.values(s.campaigns).reduce(
    (a, c) => a + c.items - c.decided,
    0,
  );
  const rows: Record<Soc2Control, [string, string, string]> = {
    'CC6.1': [
      `${s.population} identities (${s.removed} removed during the period)`,
      `${s.unowned} without an owner in the catalog`,
      'inventory.csv, findings.csv, ledger-identities.jsonl',
    ],
    'CC6.2': [
      `${s.population} identities; ${
        s.approvals.approved ?? 0
      } approved in the security queue`,
      `${s.unapproved} without an approval record; ${
        s.approvals['sent-back'] ?? 0
      } sent back`,
      'inventory.csv (approved_by, approved_at, approval_ticket), approvals.csv',
    ],
    'CC6.3': [
      `${reviewItems} review items in ${
        Object.keys(s.campaigns).length
      } campaign(s)`,
      `${undecided} not decided; ${
        s.exceptions.byStatus.approved ?? 0
      } approved exceptions`,
      'access-reviews.csv, exceptions.csv, ledger.jsonl',
    ],
    'CC6.6': [
      `${s.rotations.events} issue, rotation, revocation and expiry events`,
      `${s.rotations.overdue} identities due for rotation and not rotated (overdue or expired)`,
      'rotations.csv, exceptions.csv, findings.csv',
    ],
    'CC7.2': [
      `${s.usageMonths} identity-months of usage evidence`,
      `${
        s.findings.openAtEnd.unmonitored ?? 0
      } identities without usage evidence at the end`,
      'usage.csv, findings.csv, ledger.jsonl',
    ],
  };
  return table(
    [
      'SOC 2',
      'Control',
      'Population',
      'Exceptions',
      'Evidence',
      'NIST CSF 2.0 (1.1)',
      'OWASP NHI 2025',
    ],
    (Object.keys(SOC2_CONTROLS) as Soc2Control[]).map(c => {
      const refs = referencesOf(c);
      return [c, SOC2_CONTROLS[c], ...rows[c], refs.csf, refs.owasp];
    }),
  );
}

/**
 * index.html: a self-contained, printable report of the package: the period and how it was
 * made, the control matrix, findings at the start and end of the period, campaign results.
 */
export function renderIndexHtml(
  meta: {
    period: { from: string; to: string };
    campaign?: { id: string; period: string };
    generatedAt: string;
    generatedBy: string;
    ledgerHead: { seq: number; hash: string };
  },
  s: PackageSummary,
): string {
  const codes = [
    ...new Set([
      ...Object.keys(s.findings.opened),
      ...Object.keys(s.findings.closed),
      ...Object.keys(s.findings.excepted),
      ...Object.keys(s.findings.openAtStart),
      ...Object.keys(s.findings.openAtEnd),
    ]),
  ].sort();
  const findingRows = codes.map(code => [
    FINDING_DEFINITIONS[code as keyof typeof FINDING_DEFINITIONS]?.title ??
      code,
    code,
    s.findings.openAtStart[code] ?? 0,
    s.findings.opened[code] ?? 0,
    s.findings.closed[code] ?? 0,
    s.findings.excepted[code] ?? 0,
    s.findings.openAtEnd[code] ?? 0,
  ]);
  const ai = s.aiOrWorkload
    ? `<h2>AI agents and workload identities</h2><p>${
        s.aiOrWorkload
      } identities of these types are in scope; the same evidence answers these references too.</p>${table(
        ['Reference', 'What it asks'],
        Object.entries(AI_GOVERNANCE_REFERENCES),
      )}`
    : '';
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
${table(
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
)}
<h2>Control matrix</h2>
${controlMatrix(s)}
${ai}
<h2>Identities by type</h2>
${table(['Type', 'Identities'], Object.entries(s.byType).sort())}
<h2>Findings over the period</h2>
${table(
  [
    'Finding',
    'Code',
    'Open at the start',
    'Opened',
    'Closed',
    'Excepted',
    'Open at the end',
  ],
  findingRows,
)}
<p>Total open at the start of the period: ${sum(
    s.findings.openAtStart,
  )}; at the end: ${sum(s.findings.openAtEnd)}.</p>
<h2>Campaign results</h2>
${table(
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
)}
</body></html>
`;
}
