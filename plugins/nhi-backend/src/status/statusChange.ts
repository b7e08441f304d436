import type { LedgerDraft } from '../database/ledgerTable';
import type { StoredFinding, StoredStatus } from '../engine/storedStatus';

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
  const beforeCodes = new Set(before?.findings.map(f => f.code));
  const afterCodes = new Set(after.findings.map(f => f.code));
  const opened = after.findings.filter(f => !beforeCodes.has(f.code));
  const closed = [...beforeCodes].filter(code => !afterCodes.has(code));
  if (moved.length === 0 && opened.length === 0 && closed.length === 0) {
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
              })),
            }
          : {}),
        ...(closed.length ? { findingsClosed: closed } : {}),
      },
    },
    moved: moved.length > 0,
    opened,
    closed,
  };
}
