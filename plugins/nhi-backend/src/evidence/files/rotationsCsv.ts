import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { DateTime } from 'luxon';
import { PeriodBounds } from '../store/EvidenceStore';
import { CsvColumn, CsvFile, csvFileOf } from '../csvFile';
import { before, latest, withStatusHistory } from './rows';

/** A line of rotations.csv: a lifecycle event of the period, or an identity overdue at its end. */
interface RotationRow {
  identity: string;
  event: string;
  eventId?: string;
  occurredAt?: string;
  receivedAt?: string;
  source?: string;
  lastRotatedAt?: string;
  dueAt?: string | null;
  periodDays?: number;
  ageDaysAtEnd?: number;
  rotationStatusAtEnd?: string;
}

const ROTATION_COLUMNS: Array<CsvColumn<RotationRow>> = [
  { header: 'identity', value: r => r.identity },
  { header: 'event', value: r => r.event },
  { header: 'event_id', value: r => r.eventId },
  { header: 'occurred_at', value: r => r.occurredAt },
  { header: 'received_at', value: r => r.receivedAt },
  { header: 'source', value: r => r.source },
  { header: 'last_rotated_at', value: r => r.lastRotatedAt },
  { header: 'due_at', value: r => r.dueAt },
  { header: 'period_days', value: r => r.periodDays },
  { header: 'age_days_at_period_end', value: r => r.ageDaysAtEnd },
  {
    header: 'rotation_status_at_period_end',
    value: r => r.rotationStatusAtEnd,
  },
];

/** Every issued, rotated, revoked and expired event of the period, with its source. */
async function* lifecycleEvents(
  stores: NhiStores,
  period: PeriodBounds,
): AsyncGenerator<RotationRow> {
  for await (const e of stores.evidence.lifecycleEventRows(period)) {
    const a = JSON.parse(e.attributes);
    // A credential shared by several identities is stored once per identity, as
    // `id#ref`; the ledger names the event by the id it was sent with.
    const suffix = `#${e.identity_ref}`;
    yield {
      identity: e.identity_ref,
      event: e.type,
      eventId: e.id.endsWith(suffix) ? e.id.slice(0, -suffix.length) : e.id,
      occurredAt: e.occurred_at,
      receivedAt: e.received_at,
      source: [a.actor, a.sourceIp, a.userAgent, a.region]
        .filter(Boolean)
        .join(' '),
    };
  }
}

/** Every identity due for rotation and not rotated when the period ended, with its age then. */
async function* overdueAtEnd(
  stores: NhiStores,
  period: PeriodBounds,
): AsyncGenerator<RotationRow> {
  const end = DateTime.fromISO(period.to, { zone: 'utc' });
  for await (const batch of withStatusHistory(
    stores,
    stores.evidence.rotationSubjects(period),
    period,
  )) {
    // Overdue, or past its expiry: either way due for rotation and not rotated.
    const overdue = batch.filter(
      ([, h]) =>
        h.atEnd.rotation === 'overdue' || h.atEnd.rotation === 'expired',
    );
    const rotated = await stores.evidence.lastRotationsOf(
      overdue.map(([r]) => r.ref),
      period,
    );
    for (const [r, { atEnd }] of overdue) {
      const credential = JSON.parse(r.credential);
      // The last rotation the events show, else what the declaration said, if it was
      // already so when the period ended.
      const last =
        latest(
          rotated.get(r.ref),
          before(credential.lastRotatedAt, period.to),
        ) ?? before(credential.createdAt, period.to);
      const periodDays: number | undefined = r.status
        ? JSON.parse(r.status).rotation?.periodDays
        : undefined;
      const lastAt = last ? DateTime.fromISO(last, { zone: 'utc' }) : null;
      yield {
        identity: r.ref,
        event: 'overdue',
        lastRotatedAt: last,
        dueAt:
          lastAt && periodDays
            ? lastAt.plus({ days: periodDays }).toISO()
            : undefined,
        periodDays,
        ageDaysAtEnd: lastAt
          ? Math.floor(end.diff(lastAt, 'days').days)
          : undefined,
        rotationStatusAtEnd: atEnd.rotation,
      };
    }
  }
}

/**
 * rotations.csv: every issued, rotated, revoked and expired event of the period with its id (the
 * ledger's event.ingested entry names it) and its source; then every identity whose rotation
 * was overdue, or whose credential had expired, when the period ended (`overdue`), with its last
 * rotation before that end, when it fell due, and its age in days at the end.
 */
export function rotationsCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  return csvFileOf(
    EVIDENCE_FILES.rotations.name,
    ROTATION_COLUMNS,
    (async function* rows() {
      yield* lifecycleEvents(stores, period);
      yield* overdueAtEnd(stores, period);
    })(),
  );
}
