import {
  EVIDENCE_FILES,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { LedgerSlice, PeriodBounds } from '../store/EvidenceStore';
import type { Cell, CsvFile } from '../csvFile';
import { json, withStatusHistory } from './rows';

/** What a row says of a finding: a built-in's definition, or a module's as the ledger kept it. */
interface RowDefinition {
  severity?: string;
  title?: string;
  controls: { soc2: string[]; nistCsf: string[]; owaspNhi: string[] };
}

const NO_CONTROLS = { soc2: [], nistCsf: [], owaspNhi: [] };

/** Module findings' definitions, as recorded when they opened, by code. */
type Recorded = Map<string, RowDefinition>;

const definitionOf = (code: string, recorded: Recorded): RowDefinition =>
  builtInFindingDefinition(code) ??
  recorded.get(code) ?? { controls: NO_CONTROLS };

const FINDING_COLUMNS = [
  'identity',
  'finding',
  'severity',
  'title',
  'event',
  'at',
  'evidence',
  'soc2',
  'nist_csf',
  'owasp_nhi',
];

function findingRow(
  identity: string,
  code: string,
  event: string,
  at: string,
  evidence: unknown,
  recorded: Recorded,
): Cell[] {
  const d = definitionOf(code, recorded);
  const c = d.controls;
  return [
    identity,
    code,
    d?.severity,
    d?.title,
    event,
    at,
    json(evidence),
    c.soc2.join('; '),
    c.nistCsf.join('; '),
    c.owaspNhi.join('; '),
  ];
}

/**
 * findings.csv: every finding opened, closed or excepted in the period, as the ledger recorded
 * it; then, per identity, those open when the period began (`open-at-start`) and when it ended
 * (`open-at-end`), each with the time its opening was recorded. Every row carries its controls.
 */
export function findingsCsv(
  stores: NhiStores,
  period: PeriodBounds,
  slice: LedgerSlice | undefined,
): CsvFile {
  return {
    name: EVIDENCE_FILES.findings.name,
    columns: FINDING_COLUMNS,
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      const recorded: Recorded = new Map();
      for await (const e of stores.evidence.statusChangeRows(period, slice)) {
        const p = JSON.parse(e.payload);
        for (const f of p.findingsOpened ?? []) {
          if (f.definition) recorded.set(f.code, f.definition);
          yield findingRow(
            e.subject,
            f.code,
            'opened',
            e.recorded_at,
            f.evidence,
            recorded,
          );
        }
        for (const code of p.findingsClosed ?? []) {
          yield findingRow(
            e.subject,
            code,
            'closed',
            e.recorded_at,
            undefined,
            recorded,
          );
        }
        for (const f of p.findingsExcepted ?? []) {
          yield findingRow(
            e.subject,
            f.code,
            'excepted',
            e.recorded_at,
            { exception: f.exception, expiresAt: f.expiresAt },
            recorded,
          );
        }
      }
      for await (const batch of withStatusHistory(
        stores,
        stores.evidence.inventoryRefs(period),
        period,
      )) {
        for (const [{ ref }, { atStart, atEnd }] of batch) {
          for (const [event, open] of [
            ['open-at-start', atStart.open],
            ['open-at-end', atEnd.open],
          ] as const) {
            for (const code of [...open.keys()].sort()) {
              yield findingRow(
                ref,
                code,
                event,
                open.get(code)!,
                undefined,
                recorded,
              );
            }
          }
        }
      }
    })(),
  };
}
