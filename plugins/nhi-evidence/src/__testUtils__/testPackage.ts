import { createHash } from 'crypto';
import { ZipFile } from 'yazl';
import { canonicalJson } from '../ledger/canonicalJson';
import { GENESIS_HASH, hashEntry } from '../ledger/chain';
import type { LedgerEntry } from '../ledger/types';

export type Draft = Pick<LedgerEntry, 'recordedAt' | 'kind' | 'payload'> & {
  subject?: string;
};

/** A draft made from the entry before it, as a signed checkpoint of that entry is. */
export type DraftAfter = (previous: LedgerEntry) => Draft;

/** A ledger from its first entry: each draft numbered, linked and hashed. */
export function chainOf(drafts: Array<Draft | DraftAfter>): LedgerEntry[] {
  const ledger: LedgerEntry[] = [];
  let prevHash = GENESIS_HASH;
  drafts.forEach((d, i) => {
    const draft = typeof d === 'function' ? d(ledger[i - 1]) : d;
    const entry = { seq: i + 1, ...draft, prevHash };
    const hash = hashEntry(entry);
    prevHash = hash;
    ledger.push({ ...entry, hash });
  });
  return ledger;
}

export const jsonl = (entries: LedgerEntry[]) =>
  entries.map(e => `${canonicalJson(e)}\n`).join('');

/** RFC 4180 CSV, every cell quoted, as a spreadsheet reads it. */
export const csvOf = (columns: string[], rows: string[][]) =>
  [columns, ...rows]
    .map(r => r.map(c => `"${c.replace(/"/g, '""')}"`).join(','))
    .join('\r\n')
    .concat('\r\n');

const sha256 = (text: string | Buffer) =>
  createHash('sha256').update(text).digest('hex');

export const PERIOD = { from: '2026-10-01', to: '2026-12-31' };
/** What the reviewer of ITEM was shown. */
export const SNAPSHOT = {
  identity: 'machineidentity:default/pay-a',
  owner: 'group:default/payments',
  scopes: ['charges:write'],
};
export const ITEM = 'item-1';
export const PAY_A = 'machineidentity:default/pay-a';

/** PAY_A as its registration recorded it. */
export const PAY_A_RECORD = {
  ref: PAY_A,
  type: 'service-account',
  owner: 'group:default/payments',
  backupOwner: 'user:default/dana',
  purpose: 'Charges cards',
  environment: 'production',
  provider: 'aws',
  externalId: 'AIDA123',
  scopes: ['charges:write', 'refunds:read'],
  privilege: 'write',
  usedBy: ['component:default/payments-api'],
  system: 'system:default/payments',
  credential: { kind: 'access-key', createdAt: '2026-01-05' },
};

/** inventory.csv's columns, and PAY_A's row as the exporter writes it from the ledger. */
export const INVENTORY_COLUMNS = [
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
];
const PAY_A_ROW = [
  PAY_A,
  'group:default/payments',
  'user:default/dana',
  'Charges cards',
  'service-account',
  'production',
  'aws',
  'AIDA123',
  'charges:write; refunds:read',
  'write',
  'component:default/payments-api',
  'system:default/payments',
  'user:default/sam',
  '2026-12-01T00:00:00.000Z',
  'CHG-1',
  '2026-01-05',
  '2026-12-01T08:00:00.000Z',
];

/** PAY_A's inventory row with some cells changed, by column. */
export const inventoryRow = (changes: Record<string, string> = {}) =>
  INVENTORY_COLUMNS.map((column, i) => changes[column] ?? PAY_A_ROW[i]);

/** findings.csv's columns. */
export const FINDING_COLUMNS = [
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

/** A row of findings.csv for PAY_A's rotation-overdue, as its built-in definition reads. */
export const findingRow = (
  event: string,
  at: string,
  definition = ['high', 'Rotation overdue', 'CC6.1', 'PR.AA-05', 'NHI7'],
  evidence = '',
) => {
  const [severity, title, soc2, nistCsf, owaspNhi] = definition;
  return [
    PAY_A,
    'rotation-overdue',
    severity,
    title,
    event,
    at,
    evidence,
    soc2,
    nistCsf,
    owaspNhi,
  ];
};

/**
 * A small package as the backend would write it: an identity registered before the period,
 * a review decision in two versions (the second justified by text a spreadsheet would run),
 * an exception approved and an identity approved in it.
 */
export function samplePackage() {
  const ledger = chainOf([
    {
      recordedAt: '2026-09-01T00:00:00.000Z',
      kind: 'identity.registered',
      subject: PAY_A,
      payload: { source: 'catalog', identity: PAY_A_RECORD },
    },
    {
      recordedAt: '2026-09-15T00:00:00.000Z',
      kind: 'campaign.created',
      payload: { campaignId: 'c-1' },
    },
    {
      recordedAt: '2026-11-29T12:00:00.000Z',
      kind: 'review.decided',
      subject: PAY_A,
      payload: {
        campaignId: 'c-1',
        itemId: ITEM,
        version: 1,
        decision: 'certify',
        justification: 'First',
        decidedBy: 'user:default/dana',
      },
    },
    {
      recordedAt: '2026-11-29T13:00:00.000Z',
      kind: 'review.decided',
      subject: PAY_A,
      payload: {
        campaignId: 'c-1',
        itemId: ITEM,
        version: 2,
        decision: 'revoke',
        justification: '=1+1 no longer needed',
        decidedBy: 'user:default/dana',
      },
    },
    {
      recordedAt: '2026-11-30T00:00:00.000Z',
      kind: 'exception.approved',
      subject: PAY_A,
      payload: {
        exceptionId: 'x-1',
        finding: 'rotation-overdue',
        expiresAt: '2027-03-01T00:00:00.000Z',
        requestedBy: 'user:default/dana',
        decidedBy: 'user:default/sam',
        reason: 'OK',
      },
    },
    {
      recordedAt: '2026-12-01T00:00:00.000Z',
      kind: 'identity.approved',
      subject: PAY_A,
      payload: {
        decision: 'approved',
        decidedBy: 'user:default/sam',
        decidedAt: '2026-12-01T00:00:00.000Z',
        ticket: 'CHG-1',
        reason: 'Reviewed',
      },
    },
    {
      recordedAt: '2026-12-02T00:00:00.000Z',
      kind: 'event.ingested',
      subject: PAY_A,
      payload: {
        id: 'rot-1',
        type: 'rotated',
        occurredAt: '2026-12-01T08:00:00.000Z',
      },
    },
    {
      recordedAt: '2026-12-03T00:00:00.000Z',
      kind: 'status.changed',
      subject: PAY_A,
      payload: {
        rotation: { from: 'overdue', to: 'current' },
        findingsClosed: ['rotation-overdue'],
      },
    },
  ]);
  const files = new Map<string, string>([
    ['inventory.csv', csvOf(INVENTORY_COLUMNS, [inventoryRow()])],
    [
      'access-reviews.csv',
      csvOf(
        [
          'item_id',
          'identity',
          'decision',
          'justification',
          'decided_by',
          'decided_at',
          'version',
          'earlier_versions',
          'snapshot',
          'snapshot_sha256',
        ],
        [
          [
            ITEM,
            PAY_A,
            'revoke',
            "'=1+1 no longer needed",
            'user:default/dana',
            '2026-11-29T13:00:00.000Z',
            '2',
            JSON.stringify([
              {
                version: 1,
                decision: 'certify',
                justification: 'First',
                decidedBy: 'user:default/dana',
                decidedAt: '2026-11-29T12:00:00.000Z',
              },
            ]),
            JSON.stringify(SNAPSHOT),
            sha256(canonicalJson(SNAPSHOT)),
          ],
        ],
      ),
    ],
    [
      'exceptions.csv',
      csvOf(
        [
          'exception_id',
          'identity',
          'finding',
          'status',
          'requested_by',
          'decided_by',
          'decided_at',
          'decision_reason',
          'expires_at',
        ],
        [
          [
            'x-1',
            PAY_A,
            'rotation-overdue',
            'approved',
            'user:default/dana',
            'user:default/sam',
            '2026-11-30T00:00:00.000Z',
            'OK',
            '2027-03-01T00:00:00.000Z',
          ],
        ],
      ),
    ],
    [
      'approvals.csv',
      csvOf(
        [
          'identity',
          'decision',
          'decided_by',
          'decided_at',
          'ticket',
          'reason',
        ],
        [
          [
            PAY_A,
            'approved',
            'user:default/sam',
            '2026-12-01T00:00:00.000Z',
            'CHG-1',
            'Reviewed',
          ],
        ],
      ),
    ],
    [
      'rotations.csv',
      csvOf(
        ['identity', 'event', 'event_id', 'occurred_at', 'received_at'],
        [
          [
            PAY_A,
            'rotated',
            'rot-1',
            '2026-12-01T08:00:00.000Z',
            '2026-12-02T00:00:00.000Z',
          ],
        ],
      ),
    ],
    [
      'findings.csv',
      csvOf(FINDING_COLUMNS, [
        findingRow('closed', '2026-12-03T00:00:00.000Z'),
        findingRow('open-at-start', '2026-09-01T00:00:00.000Z'),
      ]),
    ],
    [
      'usage.csv',
      csvOf(
        ['identity', 'month', 'uses', 'auth_failures', 'distinct_sources'],
        [[PAY_A, '2026-11', '7', '1', '2']],
      ),
    ],
    // The slice: the anchor (entry 2, before the period) and the period's entries.
    ['ledger.jsonl', jsonl(ledger.slice(1))],
    ['ledger-identities.jsonl', jsonl(ledger.slice(0, 1))],
  ]);
  return { ledger, files };
}

/** The manifest of these files, as the backend writes it. */
export function manifestOf(
  files: Map<string, string | Buffer>,
  ledger: LedgerEntry[],
) {
  const list = [...files].map(([name, content]) => ({
    name,
    sha256: sha256(content),
    rows: name.endsWith('.jsonl')
      ? content.toString().split('\n').length - 1
      : content.toString().split('\r\n').length - 2,
  }));
  const last = ledger[ledger.length - 1];
  return signed({
    format: 'nhi-evidence/v1',
    period: PERIOD,
    generatedAt: '2026-12-31T12:00:00.000Z',
    generatedBy: 'user:default/sam',
    ledgerHead: { seq: last.seq, hash: last.hash },
    files: list,
    policy: {},
  });
}

/** The manifest with its package hash computed over the rest of it, as the backend does. */
export function signed<T extends Record<string, unknown>>(
  manifest: T,
): T & { packageHash: string } {
  const { packageHash: _old, ...rest } = manifest;
  return { ...manifest, packageHash: sha256(canonicalJson(rest)) };
}

/** The files zipped, with `manifest.json` (the one given, or one made for them) last. */
export async function zipOf(
  files: Map<string, string | Buffer>,
  manifest: unknown,
): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of files) {
    zip.addBuffer(Buffer.from(content), name);
  }
  if (manifest !== undefined) {
    zip.addBuffer(
      Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
      'manifest.json',
    );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The sample package, zipped, with its manifest. */
export async function sampleZip() {
  const { ledger, files } = samplePackage();
  return zipOf(files, manifestOf(files, ledger));
}

/** The package's ledger with these entries added at its end, its ledger files written again. */
export function extendLedger(
  p: ReturnType<typeof samplePackage>,
  drafts: Draft[],
) {
  const ledger = chainOf([
    ...p.ledger.map(({ seq: _s, prevHash: _p, hash: _h, ...draft }) => draft),
    ...drafts,
  ]);
  p.ledger.splice(0, p.ledger.length, ...ledger);
  p.files.set('ledger.jsonl', jsonl(ledger.slice(1)));
  p.files.set('ledger-identities.jsonl', jsonl(ledger.slice(0, 1)));
}
