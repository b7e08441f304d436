import { createStores } from '../wiring/createStores';
// The order the portal follows to show progress as the ZIP streams in.
import { EVIDENCE_PACKAGE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { Knex } from 'knex';
import { parse } from 'csv-parse/sync';
import { createHash } from 'crypto';
import { TEST_NOW } from '../__testUtils__/fixtures';
import { seedEvidenceQuarter } from '../__testUtils__/evidenceScenario';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  exportPackage as exportToBuffer,
  unzip,
} from '../__testUtils__/evidencePackage';
import { applyDatabaseMigrations } from '../database/migrations';
import { DEFAULT_POLICY } from '../policy/Policy';
import { StatusRecomputer } from '../status/StatusRecomputer';
import { hashEntry, verifyChain } from '../ledger/chain';
import { canonicalJson } from '../ledger/canonicalJson';

jest.setTimeout(60_000);

const PERIOD = { from: '2026-10-01', to: '2026-12-31' };

/** The package as bytes, its entries by name, and its manifest. */
async function exportPackage(knex: Knex, period = PERIOD) {
  const { zip, manifest } = await exportToBuffer(knex, period);
  return { zip, entries: await unzip(zip), manifest };
}

const csv = (b: Buffer) =>
  parse(b, { columns: true }) as Record<string, string>[];

describe('the evidence package', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await seedEvidenceQuarter(knex);
      // A rotation with its source, and a month of use.
      await knex('nhi_events').insert({
        id: 'rot-1',
        identity_ref: 'machineidentity:default/pay-a',
        type: 'rotated',
        occurred_at: '2026-11-10T08:00:00.000Z',
        received_at: '2026-11-10T08:00:01.000Z',
        attributes: JSON.stringify({ actor: 'ci', sourceIp: '10.0.0.7' }),
      });
      await knex('nhi_usage_daily').insert([
        {
          identity_ref: 'machineidentity:default/pay-a',
          day: '2026-11-02',
          uses: 3,
          auth_failures: 1,
          last_used_at: '2026-11-02T10:00:00.000Z',
          sources: JSON.stringify(['10.0.0.1']),
        },
        {
          identity_ref: 'machineidentity:default/pay-a',
          day: '2026-11-03',
          uses: 4,
          auth_failures: 0,
          last_used_at: '2026-11-03T10:00:00.000Z',
          sources: JSON.stringify(['10.0.0.1', '10.0.0.2']),
        },
      ]);
    });

    it('holds every file the manifest lists, each with its SHA-256, and the package hash', async () => {
      const { entries, manifest } = await exportPackage(knex);
      expect([...entries.keys()]).toEqual([...EVIDENCE_PACKAGE_FILES]);
      for (const f of manifest.files) {
        expect(
          createHash('sha256').update(entries.get(f.name)!).digest('hex'),
        ).toBe(f.sha256);
      }
      // Over the whole manifest but itself: the period and ledger head cannot be changed either.
      const { packageHash, ...unsigned } = manifest;
      expect(packageHash).toBe(
        createHash('sha256')
          .update(canonicalJson(JSON.parse(JSON.stringify(unsigned))))
          .digest('hex'),
      );
      expect(JSON.parse(entries.get('manifest.json')!.toString())).toEqual(
        JSON.parse(JSON.stringify(manifest)),
      );
    });

    it('writes RFC 4180 CSV with formulas neutralised', async () => {
      const { entries } = await exportPackage(knex);
      const text = entries.get('inventory.csv')!.toString('utf8');
      expect(text.split('\r\n')[0]).toMatch(
        /^identity,owner,backup_owner,purpose,/,
      );
      const rows = csv(entries.get('inventory.csv')!);
      expect(rows.map(r => r.identity)).toEqual([
        'machineidentity:default/pay-a',
        'machineidentity:default/pay-b',
      ]);
      expect(rows[1].purpose).toBe(`'=HYPERLINK("http://evil","x")`);
      const reviews = csv(entries.get('access-reviews.csv')!);
      expect(reviews).toHaveLength(2);
      const payA = reviews.find(
        r => r.identity === 'machineidentity:default/pay-a',
      )!;
      expect(payA).toMatchObject({
        identity: 'machineidentity:default/pay-a',
        decision: 'revoke',
        justification: "'-1 no longer needed",
        decided_by: 'user:default/dana',
        version: '2',
      });
      expect(JSON.parse(payA.earlier_versions)).toEqual([
        expect.objectContaining({
          version: 1,
          decision: 'certify',
          justification: 'First',
        }),
      ]);
      expect(JSON.parse(payA.remediations)).toEqual([
        expect.objectContaining({ kind: 'revoke' }),
      ]);
      expect(JSON.parse(payA.snapshot)).toMatchObject({
        identity: 'machineidentity:default/pay-a',
        owner: 'group:default/payments',
      });
      expect(csv(entries.get('exceptions.csv')!)).toEqual([
        expect.objectContaining({
          identity: 'machineidentity:default/pay-b',
          status: 'approved',
          requested_by: 'user:default/dana',
          decided_by: 'user:default/sam',
        }),
      ]);
    });

    it('lists findings with their controls, rotations with sources, and usage by month', async () => {
      const { entries } = await exportPackage(knex);
      const findings = csv(entries.get('findings.csv')!);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect([
          'opened',
          'closed',
          'excepted',
          'open-at-start',
          'open-at-end',
        ]).toContain(f.event);
        expect(f.soc2).toMatch(/CC\d/);
      }
      expect(csv(entries.get('rotations.csv')!)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            identity: 'machineidentity:default/pay-a',
            event: 'rotated',
            source: 'ci 10.0.0.7',
          }),
        ]),
      );
      expect(csv(entries.get('usage.csv')!)).toEqual([
        {
          identity: 'machineidentity:default/pay-a',
          month: '2026-11',
          uses: '7',
          auth_failures: '1',
          distinct_sources: '2',
        },
      ]);
    });

    it('reports the period, the control matrix and the campaign results in index.html', async () => {
      const { entries, manifest } = await exportPackage(knex);
      const html = entries.get('index.html')!.toString();
      expect(html).toContain('2026-10-01 to 2026-12-31');
      expect(html).toContain(manifest.ledgerHead.hash);
      for (const control of ['CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC7.2']) {
        expect(html).toContain(`<td>${control}</td>`);
      }
      // The CSF 2.0 id an auditor's 1.1 checklist knows as PR.AC-4.
      expect(html).toMatch(/PR\.AA-05 \(CSF 1\.1: [^)]*PR\.AC-4/);
      expect(html).toContain('<td>2026-Q4</td><td>2</td><td>1</td>');
      // Text from the data is escaped, never markup.
      expect(html).not.toContain('<script');
    });

    it('carries the ledger of the period, which verifies as a chain', async () => {
      const { entries } = await exportPackage(knex);
      const lines = entries
        .get('ledger.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map(l => JSON.parse(l));
      expect(lines.map(e => e.kind)).toEqual(
        expect.arrayContaining(['review.decided', 'exception.approved']),
      );
      async function* entriesOf() {
        for (const e of lines) yield e;
      }
      // From the entry before the period's first, up to the last: every hash and link holds.
      const last = lines[lines.length - 1];
      const result = await verifyChain(entriesOf(), last, {
        seq: lines[0].seq - 1,
        hash: lines[0].prevHash,
      });
      expect(result).toMatchObject({ ok: true, headHash: last.hash });
      // One changed byte in an entry is caught.
      lines[1].payload = { ...lines[1].payload, tampered: true };
      expect(
        await verifyChain(entriesOf(), last, {
          seq: lines[0].seq - 1,
          hash: lines[0].prevHash,
        }),
      ).toMatchObject({ ok: false, firstBrokenSeq: lines[1].seq });
    });

    it('carries what the ledger said of each identity when the period began', async () => {
      // Both identities were registered on 2026-10-02, before this period.
      const { entries } = await exportPackage(knex, {
        from: '2026-11-01',
        to: '2026-12-31',
      });
      const registrations = entries
        .get('ledger-identities.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map(l => JSON.parse(l));
      expect(registrations.map(e => [e.kind, e.subject])).toEqual([
        ['identity.registered', 'machineidentity:default/pay-a'],
        ['identity.registered', 'machineidentity:default/pay-b'],
      ]);
      // Each entry proves itself: its hash is recomputed from its content.
      for (const e of registrations) expect(hashEntry(e)).toBe(e.hash);
      const first = JSON.parse(
        entries.get('ledger.jsonl')!.toString().split('\n')[1],
      );
      expect(registrations.every(e => e.seq < first.seq)).toBe(true);
    });

    it('gives the same bytes for the same period over the same data', async () => {
      const a = await exportPackage(knex);
      const b = await exportPackage(knex);
      expect(b.zip.equals(a.zip)).toBe(true);
    });

    it('shows each identity as it stood when the period ended, not as it stands today', async () => {
      const byRef = (b: Buffer) =>
        new Map(csv(b).map(r => [r.identity, r] as const));
      const openAtEnd = (b: Buffer) =>
        csv(b)
          .filter(f => f.event === 'open-at-end')
          .map(f => `${f.identity} ${f.finding}`)
          .sort();
      const stored = await knex('nhi_identities').select(
        'ref',
        'rotation_status',
        'usage_status',
        'review_status',
      );
      const storedFindings = (
        await knex('nhi_identity_findings').select('identity_ref', 'code')
      )
        .map(f => `${f.identity_ref} ${f.code}`)
        .sort();
      const before = await exportPackage(knex);
      const inventory = byRef(before.entries.get('inventory.csv')!);
      for (const s of stored) {
        expect(inventory.get(s.ref)).toMatchObject({
          rotation_status_at_period_end: s.rotation_status,
          usage_status_at_period_end: s.usage_status,
          review_status_at_period_end: s.review_status,
        });
      }
      expect(openAtEnd(before.entries.get('findings.csv')!)).toEqual(
        storedFindings,
      );
      expect(storedFindings.length).toBeGreaterThan(0);

      // The first status was recorded on TEST_NOW: a period that ended before it shows none.
      const october = await exportPackage(knex, {
        from: '2026-10-01',
        to: '2026-10-31',
      });
      for (const row of byRef(october.entries.get('inventory.csv')!).values()) {
        expect(row.rotation_status_at_period_end).toBe('');
        expect(row.open_findings_at_period_end).toBe('');
        // Rotated (declared 2026-11-01, then an event on 2026-11-10) and used only later.
        expect(row.last_rotated_at).toBe('');
        expect(row.last_used_at).toBe('');
      }
      expect(inventory.get('machineidentity:default/pay-a')).toMatchObject({
        last_rotated_at: '2026-11-10T08:00:00.000Z',
        last_used_at: '2026-11-03T10:00:00.000Z',
      });
      expect(
        inventory.get('machineidentity:default/pay-b')!.last_rotated_at,
      ).toBe('2026-11-01');
      expect(openAtEnd(october.entries.get('findings.csv')!)).toEqual([]);

      // Seven months on, both keys are long overdue. The period already exported reads the same.
      const later = TEST_NOW.plus({ days: 200 });
      await new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
        {
          existingOwners: new Set(['group:default/payments']),
          entityStates: new Map([['component:default/payments-api', 'active']]),
        },
        later,
      );
      const after = await exportPackage(knex);
      for (const name of ['inventory.csv', 'findings.csv', 'rotations.csv']) {
        expect(after.entries.get(name)!.equals(before.entries.get(name)!)).toBe(
          true,
        );
      }
      const h1 = await exportPackage(knex, {
        from: '2027-01-01',
        to: '2027-06-30',
      });
      const h1Inventory = byRef(h1.entries.get('inventory.csv')!);
      expect(
        h1Inventory.get('machineidentity:default/pay-a')!
          .rotation_status_at_period_end,
      ).toBe('overdue');
      // Findings open when the half-year began, and those it ended with.
      const h1Findings = csv(h1.entries.get('findings.csv')!);
      expect(
        h1Findings
          .filter(f => f.event === 'open-at-start')
          .map(f => `${f.identity} ${f.finding}`)
          .sort(),
      ).toEqual(storedFindings);
      expect(h1Findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            identity: 'machineidentity:default/pay-a',
            finding: 'rotation-overdue',
            event: 'open-at-end',
          }),
        ]),
      );
      // Each overdue key with its last rotation before the end and its age on 2027-07-01:
      // pay-a's rotation event of 2026-11-10, pay-b's declared rotation of 2026-11-01.
      const overdue = csv(h1.entries.get('rotations.csv')!).filter(
        r => r.event === 'overdue',
      );
      expect(
        overdue.map(r => [
          r.identity,
          r.last_rotated_at.slice(0, 10),
          r.age_days_at_period_end,
        ]),
      ).toEqual([
        ['machineidentity:default/pay-a', '2026-11-10', '232'],
        ['machineidentity:default/pay-b', '2026-11-01', '242'],
      ]);
      expect(overdue[0].due_at).toMatch(/^2027-0[12]/);
      expect(Number(overdue[0].period_days)).toBeGreaterThan(0);
    });
  });
});
