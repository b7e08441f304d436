import {
  FINDING_DEFINITIONS,
  NIST_CSF_1_1_EQUIVALENTS,
  NistCsfControl,
  SOC2_CONTROLS,
  Soc2Control,
} from '@nhi-governance/plugin-nhi-common';
import { table } from './htmlTable';
import type { PackageSummary } from './packageSummary';

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

/** What each control rests on: its population, its exceptions, the files behind it. */
export function controlMatrix(s: PackageSummary) {
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
