import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { IndexedDecision, LedgerIndex, OpenedWith } from '../ledgerIndex';
import { CheckContext, CsvCheck, Differences, cellText, quote } from './cells';

const file = EVIDENCE_FILES.findings.name;
const CHANGE_EVENTS = ['opened', 'closed', 'excepted'];
const list = (codes: Iterable<string>) =>
  [...codes].sort().join(', ') || 'none';

/** The evidence a status change recorded for the finding it opened, as the exporter wrote it. */
function evidenceOf(payload: Record<string, unknown>, code: string) {
  const opened = Array.isArray(payload.findingsOpened)
    ? payload.findingsOpened.find(f => f?.code === code)
    : undefined;
  return opened?.evidence === undefined ? '' : JSON.stringify(opened.evidence);
}

/** The columns of a finding's definition, as recorded when it opened. */
const DEFINITION_COLUMNS = [
  'severity',
  'title',
  'soc2',
  'nist_csf',
  'owasp_nhi',
];
const NOT_RECORDED =
  'the status change that opened the finding was recorded before the ledger kept the severity, title and controls of every finding it opens';
const OPENED_BEFORE =
  'the finding was opened before the period: the entry that recorded its opening is not in the package';

const controlsCell = (v: unknown) =>
  Array.isArray(v) ? v.join('; ') : undefined;

/**
 * A row's severity, title and controls against those its opening recorded: the opening of the
 * period the row follows, if the package holds one that recorded them; otherwise the row is
 * listed as not checked, with why.
 */
function checkDefinition(
  ctx: CheckContext,
  cells: Record<string, string>,
  row: number,
  opening: OpenedWith | undefined,
  what: string,
) {
  if (!opening?.definition) {
    ctx.notChecked(
      file,
      DEFINITION_COLUMNS,
      opening ? NOT_RECORDED : OPENED_BEFORE,
      row,
    );
    return;
  }
  const d = opening.definition;
  const diff = new Differences();
  diff.cell('severity', cells.severity, d.severity);
  diff.cell('title', cells.title, d.title);
  diff.cell('soc2', cells.soc2, controlsCell(d.controls?.soc2));
  diff.cell('nist_csf', cells.nist_csf, controlsCell(d.controls?.nistCsf));
  diff.cell('owasp_nhi', cells.owasp_nhi, controlsCell(d.controls?.owaspNhi));
  diff.report(ctx, { file, row }, opening.seq, what);
}

const openingOf = (found: IndexedDecision | undefined) =>
  found?.entry.payload.openedWith as OpenedWith | undefined;

/** Every finding change the ledger recorded in the period is one a row showed. */
function checkAllShown(ctx: CheckContext) {
  for (const [key, { entry, seen }] of ctx.index.findings) {
    if (seen) continue;
    const [subject, code, event] = key.split('\u0000');
    ctx.fail({
      file,
      seq: entry.seq,
      reason: `ledger entry ${entry.seq} records that finding ${code} was ${event} on ${subject} at ${entry.recordedAt}, which ${file} does not show`,
    });
  }
}

/**
 * Per identity, the findings open at the end are those open at the start with the ledger's
 * changes of the period applied.
 */
function checkOpenAtEnd(
  ctx: CheckContext,
  atStart: Map<string, Set<string>>,
  atEnd: Map<string, Set<string>>,
) {
  const identities = new Set([
    ...ctx.inventory,
    ...atStart.keys(),
    ...atEnd.keys(),
  ]);
  for (const identity of identities) {
    const open = new Set(atStart.get(identity));
    for (const change of ctx.index.findingChanges.get(identity) ?? []) {
      for (const code of change.closed) open.delete(code);
      for (const code of change.opened) open.add(code);
    }
    const shown = atEnd.get(identity) ?? new Set<string>();
    if (open.size !== shown.size || [...open].some(c => !shown.has(c))) {
      ctx.fail({
        file,
        reason: `${identity} ends the period with findings ${list(
          shown,
        )} open, where those open at the start (${list(
          atStart.get(identity) ?? [],
        )}) and the ledger's changes of the period give ${list(open)}`,
      });
    }
  }
}

/**
 * findings.csv: every finding opened, closed or excepted in the period is one a status change
 * of ledger.jsonl recorded, and every such change is shown, with the severity, title and
 * controls its opening recorded (where the package holds that opening). And per identity, the findings open
 * at the end are those open at the start with the period's changes applied, so no open
 * finding can be dropped from either end.
 */
export function findingsCheck(ctx: CheckContext): CsvCheck {
  const atStart = new Map<string, Set<string>>();
  const atEnd = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, identity: string, code: string) =>
    m.set(identity, (m.get(identity) ?? new Set()).add(code));

  return {
    columns: [
      'identity',
      'finding',
      'event',
      'at',
      'evidence',
      ...DEFINITION_COLUMNS,
    ],
    row(cells, row) {
      const identity = cellText(cells.identity);
      const code = cellText(cells.finding);
      const event = cellText(cells.event);
      const at = cellText(cells.at);
      const what = `finding ${code} ${event} on ${identity}`;
      if (event === 'open-at-start') {
        add(atStart, identity, code);
        checkDefinition(ctx, cells, row, undefined, what);
        return;
      }
      if (event === 'open-at-end') {
        add(atEnd, identity, code);
        const opened = ctx.index.findings.get(
          LedgerIndex.findingKey(identity, code, 'opened', at),
        );
        checkDefinition(ctx, cells, row, openingOf(opened), what);
        return;
      }
      if (!CHANGE_EVENTS.includes(event)) {
        ctx.fail({
          file,
          row,
          reason: `event ${quote(event)} is not one of ${[
            ...CHANGE_EVENTS,
            'open-at-start',
            'open-at-end',
          ].join(', ')}`,
        });
        return;
      }
      ctx.checked.findings++;
      const found = ctx.index.findings.get(
        LedgerIndex.findingKey(identity, code, event, at),
      );
      if (!found) {
        ctx.fail({
          file,
          row,
          reason: `finding ${code} ${event} on ${identity} at ${at} has no status.changed entry in ledger.jsonl that records it`,
        });
        return;
      }
      found.seen = true;
      checkDefinition(ctx, cells, row, openingOf(found), what);
      if (event !== 'opened') return;
      const diff = new Differences();
      diff.cell(
        'evidence',
        cells.evidence,
        evidenceOf(found.entry.payload, code),
      );
      diff.report(
        ctx,
        { file, row },
        found.entry.seq,
        `finding ${code} opened on ${identity}`,
      );
    },
    end() {
      checkAllShown(ctx);
      checkOpenAtEnd(ctx, atStart, atEnd);
    },
  };
}
