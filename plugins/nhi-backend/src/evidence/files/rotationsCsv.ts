import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { DateTime } from 'luxon';
import { PeriodBounds } from '../store/EvidenceStore';
import type { Cell, CsvFile } from '../csvFile';
import { before, latest, withStatusHistory } from './rows';

/**
 * rotations.csv: every issued, rotated, revoked and expired event of the period with its id (the
 * ledger's event.ingested entry names it) and its source; then every identity whose rotation
 * was overdue, or whose credential had expired, when the period ended (`overdue`), with its last
 * rotation before that end, when it fell due, and its age in days at the end.
 */
export function rotationsCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  const end = DateTime.fromISO(period.to, { zone: 'utc' });
  return {
    name: EVIDENCE_FILES.rotations.name,
    columns: [
      'identity',
      'event',
      'event_id',
      'occurred_at',
      'received_at',
      'source',
      'last_rotated_at',
      'due_at',
      'period_days',
      'age_days_at_period_end',
      'rotation_status_at_period_end',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const e of stores.evidence.lifecycleEventRows(period)) {
        const a = JSON.parse(e.attributes);
        const source = [a.actor, a.sourceIp, a.userAgent, a.region]
          .filter(Boolean)
          .join(' ');
        // A credential shared by several identities is stored once per identity, as
        // `id#ref`; the ledger names the event by the id it was sent with.
        const suffix = `#${e.identity_ref}`;
        yield [
          e.identity_ref,
          e.type,
          e.id.endsWith(suffix) ? e.id.slice(0, -suffix.length) : e.id,
          e.occurred_at,
          e.received_at,
          source,
        ];
      }
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
          yield [
            r.ref,
            'overdue',
            undefined,
            undefined,
            undefined,
            undefined,
            last,
            lastAt && periodDays
              ? lastAt.plus({ days: periodDays }).toISO()
              : undefined,
            periodDays,
            lastAt ? Math.floor(end.diff(lastAt, 'days').days) : undefined,
            atEnd.rotation,
          ];
        }
      }
    })(),
  };
}
