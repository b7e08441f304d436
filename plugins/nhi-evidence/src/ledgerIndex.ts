import type { LedgerEntry } from './ledger/types';

/** The kinds of entry that register an identity, or record a change to it. */
export const REGISTRATION_KINDS = new Set([
  'identity.registered',
  'identity.changed',
]);
const EXCEPTION_KINDS = new Set(['exception.approved', 'exception.rejected']);
/** The kinds of entry that record the security queue's decision on an identity. */
export const APPROVAL_KINDS = new Set([
  'identity.approved',
  'identity.sent-back',
]);
/** The lifecycle events rotations.csv lists. */
export const LIFECYCLE_EVENTS = new Set([
  'issued',
  'rotated',
  'revoked',
  'expired',
]);

/** The findings one status change of the period opened and closed, in ledger order. */
export interface FindingChange {
  seq: number;
  opened: string[];
  closed: string[];
}

/** What the checks read of an entry: its hashes were checked as it went by, and are let go. */
export type IndexedEntry = Pick<
  LedgerEntry,
  'seq' | 'recordedAt' | 'kind' | 'subject' | 'payload'
>;

/** The entry with only the payload members a check reads: millions may be kept at once. */
const slim = (
  entry: LedgerEntry,
  payload: Record<string, unknown>,
): IndexedEntry => ({
  seq: entry.seq,
  recordedAt: entry.recordedAt,
  kind: entry.kind,
  subject: entry.subject,
  payload,
});

/** A decision the ledger records, and whether a CSV row has claimed it. */
export interface IndexedDecision {
  entry: IndexedEntry;
  /** Recorded within the period (not the anchor). */
  inPeriod: boolean;
  seen: boolean;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** What the ledger records of an identity up to the end of the period. */
export interface IdentityAtEnd {
  /** The entry that last registered or changed it, and the identity it recorded. */
  recordSeq?: number;
  record?: Record<string, any>;
  /** The security queue's last decision on it: an approval, or a send-back (no approval). */
  approvalSeq?: number;
  approval?: { approvedBy: unknown; approvedAt: unknown; ticket?: unknown };
}

/** The severity, title and controls a finding opened with, as its status change recorded them. */
export interface OpenedWith {
  seq: number;
  /** Undefined for an entry written before the ledger recorded them. */
  definition?: { severity?: unknown; title?: unknown; controls?: any };
}

function definitionOf(f: any): OpenedWith['definition'] {
  if (f?.severity !== undefined || f?.controls !== undefined) {
    return { severity: f.severity, title: f.title, controls: f.controls };
  }
  // A module's finding recorded its definition whole before the ledger recorded every one's.
  const d = f?.definition;
  return d
    ? { severity: d.severity, title: d.title, controls: d.controls }
    : undefined;
}

/**
 * What the CSV files are checked against: the identities the ledger registered, and its
 * decisions (reviews, exceptions, approvals), each kept by the key a CSV row names it by.
 * Only these kinds are kept, so the index stays small beside the ledger.
 */
export class LedgerIndex {
  readonly registered = new Set<string>();
  /** Identities registered or changed within the period, with the entry that says so. */
  readonly registeredInPeriod = new Map<string, number>();
  readonly reviews = new Map<string, IndexedDecision>();
  readonly exceptions = new Map<string, IndexedDecision[]>();
  readonly approvals = new Map<string, IndexedDecision[]>();
  /** Each review item assigned (its snapshot frozen), by item id. */
  readonly assignments = new Map<string, IndexedDecision>();
  /** Each finding opened, closed or excepted by a status change, by `findingKey`. */
  readonly findings = new Map<string, IndexedDecision>();
  /** The period's status changes of each identity, to replay its open findings. */
  readonly findingChanges = new Map<string, FindingChange[]>();
  /** Lifecycle events (issued, rotated, revoked, expired) by `eventKey`. */
  readonly events = new Map<string, IndexedDecision>();
  /** Each identity as the ledger records it up to the end of the period, for inventory.csv. */
  readonly atEnd = new Map<string, IdentityAtEnd>();
  /** The latest opening within the period of each finding, by `openingKey`. */
  private readonly openings = new Map<string, OpenedWith>();

  static reviewKey = (itemId: string, version: string | number) =>
    `${itemId}\u0000${version}`;

  static approvalKey = (
    identity: string,
    decidedAt: string,
    decision: string,
  ) => `${identity}\u0000${decidedAt}\u0000${decision}`;

  /** One event of a credential shared by several identities is recorded once for each. */
  static eventKey = (id: string, identity: string) => `${id}\u0000${identity}`;

  static openingKey = (identity: string, code: string) =>
    `${identity}\u0000${code}`;

  /**
   * An entry that registered, changed, approved or sent back an identity before the end of the
   * period: the latest of each kind is what the inventory must show. Only the cells the
   * inventory shows are kept, as one identity's entries may be many.
   */
  recordState(entry: LedgerEntry) {
    const { subject, payload, seq, kind } = entry;
    if (!subject) return;
    const state = this.atEnd.get(subject) ?? {};
    if (REGISTRATION_KINDS.has(kind) && seq > (state.recordSeq ?? 0)) {
      const { credential, ...record } = (payload.identity ?? {}) as any;
      state.recordSeq = seq;
      state.record = { ...record, createdAt: credential?.createdAt };
    } else if (APPROVAL_KINDS.has(kind) && seq > (state.approvalSeq ?? 0)) {
      state.approvalSeq = seq;
      state.approval =
        kind === 'identity.approved'
          ? {
              approvedBy: payload.decidedBy,
              approvedAt: payload.decidedAt,
              ticket: payload.ticket,
            }
          : undefined;
    }
    this.atEnd.set(subject, state);
  }

  static findingKey = (
    identity: string,
    code: string,
    event: string,
    at: string,
  ) => `${identity}\u0000${code}\u0000${event}\u0000${at}`;

  /**
   * Adds an entry of ledger.jsonl, recorded within the period or not, and before its end or
   * not; answers a problem with it, if any.
   */
  add(
    entry: LedgerEntry,
    inPeriod: boolean,
    beforeEnd = inPeriod,
  ): string | undefined {
    const { kind, payload, subject } = entry;
    if (beforeEnd) this.recordState(entry);
    if (REGISTRATION_KINDS.has(kind)) {
      if (subject) {
        this.registered.add(subject);
        if (inPeriod) this.registeredInPeriod.set(subject, entry.seq);
      }
      return undefined;
    }
    const indexed: IndexedDecision = { entry, inPeriod, seen: false };
    if (kind === 'review.decided') {
      const itemId = text(payload.itemId);
      if (!itemId || !Number.isSafeInteger(payload.version)) {
        return `entry ${entry.seq} is a review decision without an itemId and a version`;
      }
      const key = LedgerIndex.reviewKey(itemId, payload.version as number);
      const before = this.reviews.get(key);
      if (before) {
        return `entry ${entry.seq} records version ${payload.version} of item ${itemId}, which entry ${before.entry.seq} already recorded`;
      }
      this.reviews.set(key, indexed);
    } else if (EXCEPTION_KINDS.has(kind)) {
      const id = text(payload.exceptionId);
      if (!id)
        return `entry ${entry.seq} is an exception decision without an exceptionId`;
      this.exceptions.set(id, [...(this.exceptions.get(id) ?? []), indexed]);
    } else if (kind === 'review.assigned') {
      const itemId = text(payload.itemId);
      if (!itemId || !subject) {
        return `entry ${entry.seq} is a review assignment without an itemId and a subject`;
      }
      this.assignments.set(itemId, {
        entry: slim(entry, { itemId, snapshotHash: payload.snapshotHash }),
        inPeriod,
        seen: false,
      });
    } else if (kind === 'status.changed') {
      return this.addStatusChange(entry, inPeriod);
    } else if (kind === 'event.ingested') {
      const id = text(payload.id);
      if (!id || !text(payload.type)) {
        return `entry ${entry.seq} records an event without an id and a type`;
      }
      if (LIFECYCLE_EVENTS.has(payload.type as string) && subject) {
        this.events.set(LedgerIndex.eventKey(id, subject), {
          entry: slim(entry, {
            id,
            type: payload.type,
            occurredAt: payload.occurredAt,
          }),
          inPeriod,
          seen: false,
        });
      }
    } else if (APPROVAL_KINDS.has(kind)) {
      const decidedAt = text(payload.decidedAt);
      if (!subject || !decidedAt) {
        return `entry ${entry.seq} is an approval decision without a subject and a decidedAt`;
      }
      const key = LedgerIndex.approvalKey(
        subject,
        decidedAt,
        kind === 'identity.approved' ? 'approved' : 'sent-back',
      );
      this.approvals.set(key, [...(this.approvals.get(key) ?? []), indexed]);
    }
    return undefined;
  }

  private addStatusChange(
    entry: LedgerEntry,
    inPeriod: boolean,
  ): string | undefined {
    const { payload, subject, recordedAt } = entry;
    const codesOf = (v: unknown) =>
      Array.isArray(v)
        ? v.map(f => (typeof f === 'string' ? f : text(f?.code)))
        : [];
    const changes = {
      opened: codesOf(payload.findingsOpened),
      closed: codesOf(payload.findingsClosed),
      excepted: codesOf(payload.findingsExcepted),
    };
    const all = [...changes.opened, ...changes.closed, ...changes.excepted];
    if (!subject || all.some(c => !c)) {
      return `entry ${entry.seq} is a status change without a subject, or with a finding without a code`;
    }
    if (!inPeriod || !all.length) return undefined;
    const opened = Array.isArray(payload.findingsOpened)
      ? payload.findingsOpened
      : [];
    for (const f of opened) {
      this.openings.set(LedgerIndex.openingKey(subject, f.code), {
        seq: entry.seq,
        definition: definitionOf(f),
      });
    }
    for (const [event, codes] of Object.entries(changes)) {
      for (const code of codes as string[]) {
        // Only an opening carries evidence to compare; each change, the opening it follows.
        const evidence =
          event === 'opened'
            ? { findingsOpened: opened.filter(f => f?.code === code) }
            : {};
        const openedWith = this.openings.get(
          LedgerIndex.openingKey(subject, code),
        );
        this.findings.set(
          LedgerIndex.findingKey(subject, code, event, recordedAt),
          {
            entry: slim(entry, { ...evidence, openedWith }),
            inPeriod,
            seen: false,
          },
        );
      }
    }
    const list = this.findingChanges.get(subject) ?? [];
    list.push({
      seq: entry.seq,
      opened: changes.opened as string[],
      closed: changes.closed as string[],
    });
    this.findingChanges.set(subject, list);
    return undefined;
  }
}
