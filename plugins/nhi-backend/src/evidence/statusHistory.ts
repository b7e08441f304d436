/** An identity's status at one instant, as the ledger's status changes built it up. */
export interface StatusAt {
  rotation?: string;
  usage?: string;
  review?: string;
  /** Each finding open at that instant, with the time its opening was recorded. */
  open: Map<string, string>;
}

/** An identity's status when the period began and when it ended. */
export interface StatusHistory {
  atStart: StatusAt;
  atEnd: StatusAt;
}

export interface StatusChangeRow {
  subject: string;
  recorded_at: string;
  payload: string;
}

const copy = (s: StatusAt): StatusAt => ({ ...s, open: new Map(s.open) });

/**
 * Replays status changes (oldest first, all recorded before the period ended) into each
 * identity's status at the start and at the end of the period. The ledger, not the status
 * stored today, is the source: a past period reads the same however the identity moved since.
 */
export function foldStatusChanges(
  rows: StatusChangeRow[],
  periodFrom: string,
): Map<string, StatusHistory> {
  const now = new Map<string, StatusAt>();
  const atStart = new Map<string, StatusAt>();
  for (const row of rows) {
    const state: StatusAt = now.get(row.subject) ?? { open: new Map() };
    now.set(row.subject, state);
    if (row.recorded_at >= periodFrom && !atStart.has(row.subject)) {
      atStart.set(row.subject, copy(state));
    }
    const p = JSON.parse(row.payload);
    for (const what of ['rotation', 'usage', 'review'] as const) {
      if (p[what]) state[what] = p[what].to ?? undefined;
    }
    for (const code of p.findingsClosed ?? []) state.open.delete(code);
    for (const f of p.findingsOpened ?? []) {
      state.open.set(f.code, row.recorded_at);
    }
  }
  const histories = new Map<string, StatusHistory>();
  for (const [ref, atEnd] of now) {
    histories.set(ref, { atStart: atStart.get(ref) ?? copy(atEnd), atEnd });
  }
  return histories;
}

/** The status of an identity the ledger never recorded a change for. */
export const NO_STATUS: StatusHistory = {
  atStart: { open: new Map() },
  atEnd: { open: new Map() },
};
