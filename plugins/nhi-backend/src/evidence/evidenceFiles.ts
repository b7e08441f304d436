import type { Knex } from 'knex';
import {
  FINDING_DEFINITIONS,
  FindingCode,
} from '@nhi-governance/plugin-nhi-common';
import {
  PeriodBounds,
  approvalRows,
  decisionVersions,
  exceptionRows,
  inventoryRefs,
  inventoryRows,
  lifecycleEventRows,
  openFindingRows,
  overdueRotationRows,
  remediationsOf,
  reviewItemRows,
  statusChangeRows,
  usageDays,
} from '../database/evidenceQueries';
import type { CsvFile, Cell } from './csvFile';

const json = (v: unknown) =>
  v === undefined || v === null ? '' : JSON.stringify(v);
const list = (text: string | null) =>
  text ? (JSON.parse(text) as string[]).join('; ') : '';

/** Groups a row stream into batches, to read what belongs to each batch in one query. */
async function* batches<T>(rows: AsyncIterable<T>, size = 500) {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** inventory.csv: who each identity is, who owns and approved it, and where it stands. */
export function inventoryCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'inventory.csv',
    columns: [
      'identity',
      'owner',
      'backup_owner',
      'purpose',
      'type',
      'environment',
      'provider',
      'external_id',
      'scopes',
      'privilege',
      'used_by',
      'system',
      'approved_by',
      'approved_at',
      'approval_ticket',
      'created_at',
      'last_rotated_at',
      'expires_at',
      'last_used_at',
      'first_seen_at',
      'removed_at',
      'rotation_status',
      'usage_status',
      'review_status',
      'open_findings',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const r of inventoryRows(knex, period)) {
        const credential = JSON.parse(r.credential);
        const governance = r.governance ? JSON.parse(r.governance) : {};
        const approval = r.approval
          ? JSON.parse(r.approval)
          : governance.approval;
        const status = r.status ? JSON.parse(r.status) : undefined;
        yield [
          r.ref,
          r.owner,
          r.backup_owner,
          r.purpose,
          r.type,
          r.environment,
          r.provider,
          r.external_id,
          list(r.scopes),
          r.privilege,
          list(r.used_by),
          r.system,
          approval?.approvedBy,
          approval?.approvedAt,
          approval?.ticket,
          credential.createdAt,
          status?.rotation.lastRotatedAt ?? credential.lastRotatedAt,
          status?.rotation.expiresAt ?? credential.expiresAt,
          r.last_used_at,
          r.first_seen_at,
          r.removed_at,
          status?.rotation.status,
          status?.usage.status,
          status?.review.status,
          r.finding_codes ? r.finding_codes.split(',').join('; ') : '',
        ];
      }
    })(),
  };
}

/**
 * access-reviews.csv: one row per review item, with the snapshot the reviewer was shown, the
 * decision in force, every earlier version, escalation and remediation.
 */
export function accessReviewsCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'access-reviews.csv',
    columns: [
      'campaign_id',
      'campaign_period',
      'campaign_status',
      'item_id',
      'identity',
      'assignee',
      'due_at',
      'state',
      'new_since_last_campaign',
      'snapshot_sha256',
      'snapshot',
      'decision',
      'justification',
      'decided_by',
      'decided_at',
      'version',
      'batch_id',
      'decision_details',
      'earlier_versions',
      'escalated_at',
      'escalation_reason',
      'non_response_action',
      'remediations',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const batch of batches(reviewItemRows(knex, period))) {
        const ids = batch.map(i => i.id);
        const versions = new Map<string, any[]>();
        for (const v of await decisionVersions(knex, ids)) {
          versions.set(v.item_id, [...(versions.get(v.item_id) ?? []), v]);
        }
        const remediations = new Map<string, any[]>();
        for (const r of await remediationsOf(knex, ids)) {
          remediations.set(r.item_id, [
            ...(remediations.get(r.item_id) ?? []),
            r,
          ]);
        }
        for (const item of batch) {
          const history = versions.get(item.id) ?? [];
          const current = history[history.length - 1];
          yield [
            item.campaign_id,
            item.period,
            item.campaign_status,
            item.id,
            item.identity_ref,
            item.assignee,
            item.due_at,
            item.state,
            !!item.new_since_last,
            item.snapshot_hash,
            item.snapshot,
            current?.decision,
            current?.justification,
            current?.decided_by,
            current?.decided_at,
            current ? Number(current.version) : undefined,
            current?.batch_id,
            current?.details ?? '',
            json(
              history.slice(0, -1).map(v => ({
                version: Number(v.version),
                decision: v.decision,
                justification: v.justification,
                decidedBy: v.decided_by,
                decidedAt: v.decided_at,
                ...(v.batch_id ? { batchId: v.batch_id } : {}),
                ...(v.details ? JSON.parse(v.details) : {}),
              })),
            ),
            item.escalated_at,
            item.escalation_reason,
            item.overdue_action,
            json(
              (remediations.get(item.id) ?? []).map(r => ({
                kind: r.kind,
                openedAt: r.opened_at,
                dueAt: r.due_at,
                closedAt: r.closed_at ?? undefined,
                closedBy: r.closed_by ?? undefined,
              })),
            ),
          ];
        }
      }
    })(),
  };
}

/** exceptions.csv: requester, approver, dates, expiry and justification. */
export function exceptionsCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'exceptions.csv',
    columns: [
      'exception_id',
      'identity',
      'finding',
      'status',
      'justification',
      'compensating_controls',
      'requested_by',
      'requested_at',
      'decided_by',
      'decided_at',
      'decision_reason',
      'expires_at',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const e of exceptionRows(knex, period)) {
        yield [
          e.id,
          e.identity_ref,
          e.finding,
          e.status,
          e.justification,
          e.compensating_controls,
          e.requested_by,
          e.requested_at,
          e.decided_by,
          e.decided_at,
          e.decision_reason,
          e.expires_at,
        ];
      }
    })(),
  };
}

/** approvals.csv: the security queue's approvals and send-backs of new identities (CC6.2). */
export function approvalsCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'approvals.csv',
    columns: [
      'approval_id',
      'identity',
      'decision',
      'decided_by',
      'decided_at',
      'ticket',
      'reason',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const a of approvalRows(knex, period)) {
        yield [
          a.id,
          a.identity_ref,
          a.decision,
          a.decided_by,
          a.decided_at,
          a.ticket,
          a.reason,
        ];
      }
    })(),
  };
}

const controlsOf = (code: string) =>
  FINDING_DEFINITIONS[code as FindingCode]?.controls ?? {
    soc2: [],
    nistCsf: [],
    owaspNhi: [],
  };

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
  evidence?: unknown,
): Cell[] {
  const d = FINDING_DEFINITIONS[code as FindingCode];
  const c = controlsOf(code);
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
 * it, then those still open that opened before the period ended (`open`), with their controls.
 */
export function findingsCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'findings.csv',
    columns: FINDING_COLUMNS,
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const e of statusChangeRows(knex, period)) {
        const p = JSON.parse(e.payload);
        for (const f of p.findingsOpened ?? []) {
          yield findingRow(
            e.subject,
            f.code,
            'opened',
            e.recorded_at,
            f.evidence,
          );
        }
        for (const code of p.findingsClosed ?? []) {
          yield findingRow(e.subject, code, 'closed', e.recorded_at);
        }
        for (const f of p.findingsExcepted ?? []) {
          yield findingRow(e.subject, f.code, 'excepted', e.recorded_at, {
            exception: f.exception,
            expiresAt: f.expiresAt,
          });
        }
      }
      for await (const f of openFindingRows(knex, period)) {
        yield findingRow(f.identity_ref, f.code, 'open', f.opened_at);
      }
    })(),
  };
}

/**
 * rotations.csv: every issued, rotated, revoked and expired event of the period with its source,
 * then every identity due for rotation and not rotated (`overdue`), with its age.
 */
export function rotationsCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'rotations.csv',
    columns: [
      'identity',
      'event',
      'occurred_at',
      'received_at',
      'source',
      'last_rotated_at',
      'due_at',
      'period_days',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const e of lifecycleEventRows(knex, period)) {
        const a = JSON.parse(e.attributes);
        const source = [a.actor, a.sourceIp, a.userAgent, a.region]
          .filter(Boolean)
          .join(' ');
        yield [e.identity_ref, e.type, e.occurred_at, e.received_at, source];
      }
      for await (const r of overdueRotationRows(knex, period)) {
        const rotation = JSON.parse(r.status).rotation;
        yield [
          r.ref,
          'overdue',
          undefined,
          undefined,
          undefined,
          rotation.lastRotatedAt,
          rotation.dueAt,
          rotation.periodDays,
        ];
      }
    })(),
  };
}

/** usage.csv: per identity per month, the uses, failed authentications and distinct sources. */
export function usageCsv(knex: Knex, period: PeriodBounds): CsvFile {
  return {
    name: 'usage.csv',
    columns: ['identity', 'month', 'uses', 'auth_failures', 'distinct_sources'],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const batch of batches(inventoryRefs(knex, period))) {
        const days = await usageDays(
          knex,
          batch.map(r => r.ref),
          period,
        );
        let current:
          | {
              key: string;
              cells: [string, string];
              uses: number;
              failures: number;
              sources: Set<string>;
            }
          | undefined;
        const finish = () =>
          current && [
            ...current.cells,
            current.uses,
            current.failures,
            current.sources.size,
          ];
        for (const d of days) {
          const month = String(d.day).slice(0, 7);
          const key = `${d.identity_ref}|${month}`;
          if (current?.key !== key) {
            const done = finish();
            if (done) yield done;
            current = {
              key,
              cells: [d.identity_ref, month],
              uses: 0,
              failures: 0,
              sources: new Set(),
            };
          }
          current.uses += Number(d.uses);
          current.failures += Number(d.auth_failures);
          for (const s of JSON.parse(d.sources ?? '[]'))
            current.sources.add(String(s));
        }
        const done = finish();
        if (done) yield done;
      }
    })(),
  };
}
