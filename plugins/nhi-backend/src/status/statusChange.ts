import { builtInFindingDefinition } from '@nhi-governance/plugin-nhi-common';
import type { LedgerDraft } from '../ledger/LedgerDraft';
import type { StoredFinding, StoredStatus } from '../engine/storedStatus';
import { openFindings } from '../engine/review';
import { openCodes } from '../rollups/rollupFigures';

/**
 * The severity, title and controls a finding opened with, as the evidence package shows them:
 * recorded, so that the package's findings.csv can be checked against the ledger even after a
 * definition changes. Entries written before this carry none (the verifier says so).
 */
function recordedDefinition(f: StoredFinding) {
  const d = f.definition ?? builtInFindingDefinition(f.code);
  return d
    ? { severity: d.severity, title: d.title, controls: d.controls }
    : {};
}

/**
 * What the ledger records when an identity's status moves: one entry per identity per
 * recompute, naming the statuses that moved and the findings opened (with their evidence) and
 * closed. Nothing is recorded when only evidence details changed.
 */
export function statusChange(
  ref: string,
  before: StoredStatus | undefined,
  after: StoredStatus,
):
  | {
      draft: LedgerDraft;
      moved: boolean;
      opened: StoredFinding[];
      closed: string[];
    }
  | undefined {
  const moved = (
    [
      ['rotation', before?.rotation.status, after.rotation.status],
      ['usage', before?.usage.status, after.usage.status],
      ['review', before?.review.status, after.review.status],
    ] as const
  ).filter(([, from, to]) => from !== to);
  // An excepted finding does not count: it closes when the exception is approved, and opens
  // again when the exception expires.
  const beforeOpen = new Set(openCodes(before ?? { findings: [] }));
  const afterOpen = new Set(openCodes(after));
  const opened = openFindings(after.findings).filter(
    f => !beforeOpen.has(f.code),
  );
  const closed = [...beforeOpen].filter(code => !afterOpen.has(code));
  const exceptedBefore = new Set(
    before?.findings.filter(f => f.exception).map(f => f.exception!.id),
  );
  const excepted = after.findings.filter(
    f => f.exception && !exceptedBefore.has(f.exception.id),
  );
  if (
    moved.length === 0 &&
    opened.length === 0 &&
    closed.length === 0 &&
    excepted.length === 0
  ) {
    return undefined;
  }
  return {
    draft: {
      kind: 'status.changed',
      subject: ref,
      payload: {
        ...Object.fromEntries(
          moved.map(([what, from, to]) => [what, { from: from ?? null, to }]),
        ),
        ...(opened.length
          ? {
              findingsOpened: opened.map(f => ({
                code: f.code,
                evidence: f.evidence,
                ...recordedDefinition(f),
                // A module's finding: its title and controls as they were, for the evidence.
                ...(f.definition ? { definition: f.definition } : {}),
              })),
            }
          : {}),
        ...(closed.length ? { findingsClosed: closed } : {}),
        ...(excepted.length
          ? {
              findingsExcepted: excepted.map(f => ({
                code: f.code,
                exception: f.exception!.id,
                expiresAt: f.exception!.expiresAt,
              })),
            }
          : {}),
      },
    },
    moved: moved.length > 0,
    opened,
    closed,
  };
}
