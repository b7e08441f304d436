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

/**
 * The definitions the rows are written with. By code: a module's, as it was last recorded. By
 * identity and code: the one its latest opening of the period recorded, with the time.
 */
interface Recorded {
  byCode: Map<string, RowDefinition>;
  openings: Map<string, { at: string; definition: RowDefinition }>;
}

const openingKey = (identity: string, code: string) =>
  `${identity}\u0000${code}`;

/** What an opening recorded: its severity, title and controls, once the ledger kept them. */
function openedWith(f: any): RowDefinition | undefined {
  if (f.severity === undefined && f.controls === undefined) {
    return f.definition;
  }
  return {
    severity: f.severity,
    title: f.title,
    controls: { ...NO_CONTROLS, ...f.controls },
  };
}

/**
 * A row's definition: the one recorded when the finding opened, where the period's ledger holds
 * that opening (`at` given: only that opening), so the verifier can compare it; otherwise the
 * built-in's, or the module's as recorded.
 */
function definitionOf(
  identity: string,
  code: string,
  recorded: Recorded,
  at?: string,
): RowDefinition {
  const opening = recorded.openings.get(openingKey(identity, code));
  if (opening && (at === undefined || opening.at === at)) {
    return opening.definition;
  }
  return (
    builtInFindingDefinition(code) ??
    recorded.byCode.get(code) ?? { controls: NO_CONTROLS }
  );
}

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
  d: RowDefinition,
): Cell[] {
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

/** The rows of the period's status changes, each opening's definition remembered. */
async function* changeRows(
  stores: NhiStores,
  period: PeriodBounds,
  slice: LedgerSlice | undefined,
  recorded: Recorded,
): AsyncGenerator<Cell[]> {
  for await (const e of stores.evidence.statusChangeRows(period, slice)) {
    const p = JSON.parse(e.payload);
    const at: string = e.recorded_at;
    const row = (code: string, event: string, evidence?: unknown) =>
      findingRow(
        e.subject,
        code,
        event,
        at,
        evidence,
        definitionOf(e.subject, code, recorded),
      );
    for (const f of p.findingsOpened ?? []) {
      if (f.definition) recorded.byCode.set(f.code, f.definition);
      const definition = openedWith(f);
      if (definition) {
        recorded.openings.set(openingKey(e.subject, f.code), {
          at,
          definition,
        });
      } else recorded.openings.delete(openingKey(e.subject, f.code));
      yield row(f.code, 'opened', f.evidence);
    }
    for (const code of p.findingsClosed ?? []) yield row(code, 'closed');
    for (const f of p.findingsExcepted ?? []) {
      yield row(f.code, 'excepted', {
        exception: f.exception,
        expiresAt: f.expiresAt,
      });
    }
  }
}

/** Per identity, the findings open when the period began and when it ended. */
async function* openRows(
  stores: NhiStores,
  period: PeriodBounds,
  recorded: Recorded,
): AsyncGenerator<Cell[]> {
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
          const at = open.get(code)!;
          yield findingRow(
            ref,
            code,
            event,
            at,
            undefined,
            definitionOf(ref, code, recorded, at),
          );
        }
      }
    }
  }
}

/**
 * findings.csv: every finding opened, closed or excepted in the period, as the ledger recorded
 * it; then, per identity, those open when the period began (`open-at-start`) and when it ended
 * (`open-at-end`), each with the time its opening was recorded. Every row carries its severity
 * and controls: those its opening recorded, where the period's ledger holds that opening.
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
      const recorded: Recorded = { byCode: new Map(), openings: new Map() };
      yield* changeRows(stores, period, slice, recorded);
      yield* openRows(stores, period, recorded);
    })(),
  };
}
