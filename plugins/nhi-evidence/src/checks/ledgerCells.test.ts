import { verifyPackage } from '../verifyPackage';
import {
  FINDING_COLUMNS,
  INVENTORY_COLUMNS,
  PAY_A,
  PAY_A_RECORD,
  csvOf,
  extendLedger,
  findingRow,
  inventoryRow,
  manifestOf,
  samplePackage,
  zipOf,
} from '../__testUtils__/testPackage';

type SamplePackage = ReturnType<typeof samplePackage>;

/** The sample package changed, its file hashes and package hash recomputed, verified. */
async function verified(change: (p: SamplePackage) => void) {
  const p = samplePackage();
  change(p);
  return verifyPackage(await zipOf(p.files, manifestOf(p.files, p.ledger)));
}

/** The seq of the first entry a test adds to the sample's ledger. */
const ADDED_SEQ = samplePackage().ledger.length + 1;

const OWNER_MISSING = {
  code: 'owner-missing',
  evidence: { missing: 'owner' },
  severity: 'high',
  title: 'No owner',
  controls: { soc2: ['CC1.3', 'CC6.2'], nistCsf: ['GV.RR-02'], owaspNhi: [] },
};
const OPENED_AT = '2026-12-05T00:00:00.000Z';
const OWNER_MISSING_DEFINITION = [
  'high',
  'No owner',
  'CC1.3; CC6.2',
  'GV.RR-02',
  '',
];

/** A finding opened in the period, as the status change recorded it, with its rows. */
function withOpenedFinding(
  p: SamplePackage,
  recorded: Record<string, unknown> = OWNER_MISSING,
  rows: { opened?: string[]; atEnd?: string[] } = {},
) {
  extendLedger(p, [
    {
      recordedAt: OPENED_AT,
      kind: 'status.changed',
      subject: PAY_A,
      payload: { findingsOpened: [recorded] },
    },
  ]);
  const row = (event: string, definition: string[], evidence = '') =>
    findingRow(event, OPENED_AT, definition, evidence).map(c =>
      c === 'rotation-overdue' ? 'owner-missing' : c,
    );
  p.files.set(
    'findings.csv',
    csvOf(FINDING_COLUMNS, [
      findingRow('closed', '2026-12-03T00:00:00.000Z'),
      row(
        'opened',
        rows.opened ?? OWNER_MISSING_DEFINITION,
        '{"missing":"owner"}',
      ),
      findingRow('open-at-start', '2026-09-01T00:00:00.000Z'),
      row('open-at-end', rows.atEnd ?? OWNER_MISSING_DEFINITION),
    ]),
  );
}

describe('the inventory cells the ledger vouches for', () => {
  it.each([
    ['owner', 'group:default/someone-else'],
    ['type', 'api-key'],
    ['environment', 'staging'],
    ['privilege', 'read'],
    ['scopes', 'charges:write'],
    ['backup_owner', ''],
    ['created_at', '2026-02-01'],
    ['approved_by', 'user:default/mallory'],
    ['approved_at', '2026-11-01T00:00:00.000Z'],
    ['approval_ticket', 'CHG-9'],
  ])(
    'fails a changed %s, naming file, row and column',
    async (column, value) => {
      const result = await verified(p =>
        p.files.set(
          'inventory.csv',
          csvOf(INVENTORY_COLUMNS, [inventoryRow({ [column]: value })]),
        ),
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.failures).toEqual([
        expect.objectContaining({
          file: 'inventory.csv',
          row: 1,
          reason: expect.stringContaining(
            `${column} ${JSON.stringify(value)} where the ledger has`,
          ),
        }),
      ]);
    },
  );

  it('expects the owner an identity.changed entry of the period recorded, not the first one', async () => {
    const changeOwner = (p: SamplePackage) =>
      extendLedger(p, [
        {
          recordedAt: '2026-12-10T00:00:00.000Z',
          kind: 'identity.changed',
          subject: PAY_A,
          payload: {
            source: 'catalog',
            identity: { ...PAY_A_RECORD, owner: 'group:default/billing' },
          },
        },
      ]);
    const stale = await verified(changeOwner);
    expect(!stale.ok && stale.failures[0]).toMatchObject({
      file: 'inventory.csv',
      row: 1,
      seq: ADDED_SEQ,
      reason: expect.stringContaining(
        'owner "group:default/payments" where the ledger has "group:default/billing"',
      ),
    });
    const current = await verified(p => {
      changeOwner(p);
      p.files.set(
        'inventory.csv',
        csvOf(INVENTORY_COLUMNS, [
          inventoryRow({ owner: 'group:default/billing' }),
        ]),
      );
    });
    expect(current.ok).toBe(true);
  });

  it('expects no approval after security sent the identity back', async () => {
    const result = await verified(p =>
      extendLedger(p, [
        {
          recordedAt: '2026-12-11T00:00:00.000Z',
          kind: 'identity.sent-back',
          subject: PAY_A,
          payload: {
            decision: 'sent-back',
            decidedBy: 'user:default/sam',
            decidedAt: '2026-12-11T00:00:00.000Z',
            reason: 'Too broad',
          },
        },
      ]),
    );
    // approvals.csv does not show the send-back either; the inventory still shows the approval.
    expect(!result.ok && result.failures).toContainEqual(
      expect.objectContaining({
        file: 'inventory.csv',
        row: 1,
        reason: expect.stringContaining(
          'approved_by "user:default/sam" where the ledger has nothing',
        ),
      }),
    );
  });
});

describe('the findings cells the ledger vouches for', () => {
  it('passes a finding whose severity, title and controls are those its opening recorded', async () => {
    const result = await verified(p => withOpenedFinding(p));
    expect(result.ok).toBe(true);
  });

  it.each([
    ['severity', 0, 'low'],
    ['soc2', 2, 'CC1.3'],
    ['nist_csf', 3, 'PR.AA-01'],
    ['owasp_nhi', 4, 'NHI2'],
    ['title', 1, 'Nothing to see'],
  ])(
    'fails a changed %s of an opened finding, and of the same finding open at the end',
    async (column, index, value) => {
      const changedDefinition = [...OWNER_MISSING_DEFINITION];
      changedDefinition[index] = value;
      for (const rows of [
        { opened: changedDefinition },
        { atEnd: changedDefinition },
      ]) {
        const result = await verified(p =>
          withOpenedFinding(p, OWNER_MISSING, rows),
        );
        expect(!result.ok && result.failures).toEqual([
          expect.objectContaining({
            file: 'findings.csv',
            row: rows.opened ? 2 : 4,
            seq: ADDED_SEQ,
            reason: expect.stringContaining(
              `${column} ${JSON.stringify(value)} where the ledger has`,
            ),
          }),
        ]);
      }
    },
  );

  it('lists the rows whose opening recorded no severity or controls, or is not in the package', async () => {
    const { code, evidence } = OWNER_MISSING;
    const result = await verified(p =>
      withOpenedFinding(
        p,
        { code, evidence },
        { opened: ['low', '', '', '', ''] },
      ),
    );
    expect(result.ok).toBe(true);
    const notChecked = result.ok ? result.summary.notChecked : [];
    expect(notChecked).toContainEqual(
      expect.objectContaining({
        file: 'findings.csv',
        columns: ['severity', 'title', 'soc2', 'nist_csf', 'owasp_nhi'],
        why: expect.stringContaining('recorded before the ledger kept'),
        rows: 2,
        firstRows: [2, 4],
      }),
    );
    expect(notChecked).toContainEqual(
      expect.objectContaining({
        file: 'findings.csv',
        why: expect.stringContaining('opened before the period'),
        firstRows: [1, 3],
      }),
    );
  });
});
