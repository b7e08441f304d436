import { createStores } from '../wiring/createStores';
import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { promisify } from 'util';
import type { Knex } from 'knex';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ZipFile } from 'yazl';
import { verifyPackage } from '@nhi-governance/nhi-evidence';
import { TEST_NOW } from '../__testUtils__/fixtures';
import { SAM, seedEvidenceQuarter } from '../__testUtils__/evidenceScenario';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { exportPackage, unzip } from '../__testUtils__/evidencePackage';
import { applyDatabaseMigrations } from '../database/migrations';
import { EventIngestor } from '../events/EventIngestor';
import { packageHashOf } from './writeEvidencePackage';

jest.setTimeout(60_000);

const REPO_ROOT = resolve(__dirname, '../../../..');
const PERIOD = { from: '2026-10-01', to: '2026-12-31' };
const PAY_A = 'machineidentity:default/pay-a';
const PAY_B = 'machineidentity:default/pay-b';

/** A package's files by name, in the order of the ZIP. */
type Files = Map<string, Buffer>;

const exportZip = async (knex: Knex, period = PERIOD) =>
  (await exportPackage(knex, period)).zip;

/** The files zipped again, as someone who changed the package would. */
async function rezip(files: Files): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of files) zip.addBuffer(content, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const csv = (b: Buffer) =>
  parse(b, { columns: true }) as Record<string, string>[];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The manifest rewritten to match the changed files: their hashes, and the package's too. */
function rewriteManifest(files: Files, options: { packageHash: boolean }) {
  const manifest = JSON.parse(files.get('manifest.json')!.toString());
  for (const f of manifest.files) {
    f.sha256 = sha256(files.get(f.name)!);
    if (f.rows !== undefined && f.name.endsWith('.csv')) {
      f.rows = csv(files.get(f.name)!).length;
    }
  }
  if (options.packageHash) {
    const { packageHash: _old, ...unsigned } = manifest;
    manifest.packageHash = packageHashOf(unsigned);
  }
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
}

const ledgerOf = (files: Files) =>
  files
    .get('ledger.jsonl')!
    .toString()
    .trim()
    .split('\n')
    .map(l => JSON.parse(l));

const run = promisify(execFile);

/** The CLI as an auditor runs it, from the repository root, in a process of its own. */
async function cli(...args: string[]) {
  try {
    const { stdout } = await run(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/.bin/nhi-evidence'), ...args],
      { cwd: REPO_ROOT },
    );
    return { code: 0, stdout };
  } catch (error: any) {
    return { code: error.code as number, stdout: error.stdout as string };
  }
}

describe('verifying an evidence package offline', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let dir: string;

    beforeAll(async () => {
      dir = await fs.mkdtemp(join(tmpdir(), 'nhi-evidence-'));
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const reviews = await seedEvidenceQuarter(knex, async () => {
        // A rotation received through the ingest API, and statuses with their findings.
        await new EventIngestor(createStores(knex)).ingest(
          {
            events: [
              {
                id: 'rot-1',
                type: 'rotated',
                occurredAt: '2026-11-10T08:00:00Z',
                identity: { ref: PAY_A },
                actor: 'ci',
              },
            ],
          },
          TEST_NOW.minus({ days: 19 }),
        );
      });
      await reviews.approvals.decide(
        SAM,
        () => true,
        PAY_A,
        { decision: 'approve', ticket: 'CHG-1', reason: 'Reviewed' },
        TEST_NOW,
      );
      await reviews.approvals.decide(
        SAM,
        () => true,
        PAY_B,
        { decision: 'send-back', reason: '+1 owner is missing' },
        TEST_NOW.plus({ hours: 2 }),
      );
    });

    afterAll(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('passes a package as the backend wrote it, checking each decision against the ledger', async () => {
      const zip = await exportZip(knex);
      const files = await unzip(zip);
      const manifest = JSON.parse(files.get('manifest.json')!.toString());
      const ledger = ledgerOf(files);
      const result = await verifyPackage(zip);
      expect(result).toEqual({
        ok: true,
        summary: expect.objectContaining({
          format: 'nhi-evidence/v1',
          period: PERIOD,
          packageHash: manifest.packageHash,
          files: manifest.files.length,
          ledgerEntries: ledger.length,
          ledgerFirstSeq: ledger[0].seq,
          ledgerLastSeq: ledger[ledger.length - 1].seq,
          // Two identities; both versions of one decision; the exception; both approvals;
          // each finding opened or closed; the rotation.
          checked: {
            identities: 2,
            decisions: 2,
            exceptions: 1,
            approvals: 2,
            findings: csv(files.get('findings.csv')!).filter(f =>
              ['opened', 'closed', 'excepted'].includes(f.event),
            ).length,
            events: 1,
          },
        }),
      });
    });

    it('passes a package whose identities were registered before the period', async () => {
      const result = await verifyPackage(
        await exportZip(knex, { from: '2026-11-01', to: '2026-12-31' }),
      );
      expect(result).toMatchObject({
        ok: true,
        summary: { identityEntries: 2, checked: { identities: 2 } },
      });
    });

    it.each([
      // Nothing recorded in the period: the slice is its anchor (an identity's registration)
      // and the first entry recorded after it, which shows that nothing was left out.
      ['before any decision', { from: '2026-10-05', to: '2026-10-10' }, 2, 2],
      // Nothing recorded since the period began: the head alone anchors and closes it. Each
      // identity's registration and its approval, both before the period, vouch for its row.
      ['after the last entry', { from: '2027-01-01', to: '2027-01-31' }, 1, 4],
    ])(
      'passes a package of a period %s',
      async (_, period, ledgerEntries, identityEntries) => {
        const result = await verifyPackage(await exportZip(knex, period));
        expect(result).toMatchObject({
          ok: true,
          summary: {
            ledgerEntries,
            identityEntries,
            checked: { identities: 2, decisions: 0 },
          },
        });
      },
    );

    it('reads the package from a file', async () => {
      const file = join(dir, 'fresh.zip');
      await fs.writeFile(file, await exportZip(knex));
      expect(await verifyPackage(file)).toMatchObject({ ok: true });
    });

    it('fails a package with one changed byte in a CSV file, naming the file', async () => {
      const files = await unzip(await exportZip(knex));
      const text = files.get('exceptions.csv')!.toString();
      // Nothing in the ledger says what the justification was: only the hash catches this.
      files.set(
        'exceptions.csv',
        Buffer.from(text.replace('Vendor freeze', 'Vendor freezE')),
      );
      const result = await verifyPackage(await rezip(files));
      expect(result).toEqual({
        ok: false,
        failures: [
          {
            file: 'exceptions.csv',
            reason: expect.stringMatching(
              /^SHA-256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64}/,
            ),
          },
        ],
      });
    });

    it('fails a changed justification whose file hash was recomputed, naming the row and the ledger entry', async () => {
      const files = await unzip(await exportZip(knex));
      const forged = files
        .get('access-reviews.csv')!
        .toString()
        .replace(`'-1 no longer needed`, 'Still needed');
      files.set('access-reviews.csv', Buffer.from(forged));
      // A forger who rewrote the manifest's file hash, but not the package hash.
      rewriteManifest(files, { packageHash: false });
      const row =
        csv(files.get('access-reviews.csv')!).findIndex(
          r => r.identity === PAY_A,
        ) + 1;
      const decided = ledgerOf(files).find(
        e => e.kind === 'review.decided' && e.payload.version === 2,
      );

      const result = await verifyPackage(await rezip(files));
      expect(result).toEqual({
        ok: false,
        failures: [
          {
            file: 'manifest.json',
            reason: expect.stringContaining(
              'is not the hash of the rest of the manifest',
            ),
          },
          {
            file: 'access-reviews.csv',
            row,
            seq: decided.seq,
            reason: expect.stringContaining(
              `differs from ledger entry ${decided.seq}: justification "Still needed" where the ledger has "-1 no longer needed"`,
            ),
          },
        ],
      });
    });

    it('fails a package with a ledger line removed, naming the entry', async () => {
      const files = await unzip(await exportZip(knex));
      const lines = files.get('ledger.jsonl')!.toString().split('\n');
      const removed = JSON.parse(lines[2]);
      lines.splice(2, 1);
      files.set('ledger.jsonl', Buffer.from(lines.join('\n')));
      const result = await verifyPackage(await rezip(files));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.failures).toContainEqual({
        file: 'ledger.jsonl',
        seq: removed.seq,
        reason: `entry ${removed.seq} is missing: entry ${
          removed.seq + 1
        } comes after entry ${
          removed.seq - 1
        } (entries were removed or reordered)`,
      });
    });

    it('fails a package whose ledger entries were reordered, naming where the chain breaks', async () => {
      const files = await unzip(await exportZip(knex));
      const lines = files.get('ledger.jsonl')!.toString().trim().split('\n');
      const ledger = lines.map(l => JSON.parse(l));
      [lines[1], lines[2]] = [lines[2], lines[1]];
      files.set('ledger.jsonl', Buffer.from(`${lines.join('\n')}\n`));
      rewriteManifest(files, { packageHash: true });
      const result = await verifyPackage(await rezip(files));
      expect(result).toMatchObject({
        ok: false,
        failures: [
          {
            file: 'ledger.jsonl',
            seq: ledger[1].seq,
            reason: `entry ${ledger[1].seq} is missing: entry ${ledger[2].seq} comes after entry ${ledger[0].seq} (entries were removed or reordered)`,
          },
        ],
      });
    });

    it('fails a package holding a file the manifest does not list', async () => {
      const files = await unzip(await exportZip(knex));
      files.set('notes.txt', Buffer.from('nothing to see'));
      expect(await verifyPackage(await rezip(files))).toEqual({
        ok: false,
        failures: [
          {
            file: 'notes.txt',
            reason: 'in the package but not listed in the manifest',
          },
        ],
      });
    });

    it('fails a package from which a decided exception was removed, though every hash was recomputed', async () => {
      const files = await unzip(await exportZip(knex));
      const [header] = files.get('exceptions.csv')!.toString().split('\r\n');
      files.set('exceptions.csv', Buffer.from(`${header}\r\n`));
      rewriteManifest(files, { packageHash: true });
      const approved = ledgerOf(files).find(
        e => e.kind === 'exception.approved',
      );
      expect(await verifyPackage(await rezip(files))).toEqual({
        ok: false,
        failures: [
          {
            file: 'exceptions.csv',
            seq: approved.seq,
            reason: expect.stringContaining(
              `ledger entry ${approved.seq} records that user:default/sam approved exception`,
            ),
          },
        ],
      });
    });

    /** A CSV file with the rows `keep` keeps, hashes and manifest rewritten to match. */
    async function withRows(
      name: string,
      keep: (row: Record<string, string>) => boolean,
      change: (row: Record<string, string>) => Record<string, string> = r => r,
    ) {
      const files = await unzip(await exportZip(knex));
      const rows = csv(files.get(name)!);
      const dropped = rows.filter(r => !keep(r));
      files.set(
        name,
        Buffer.from(
          stringify(rows.filter(keep).map(change), {
            header: true,
            columns: Object.keys(rows[0]),
            record_delimiter: 'windows',
          }),
        ),
      );
      rewriteManifest(files, { packageHash: true });
      return { files, dropped, zip: await rezip(files) };
    }

    it('fails a package from which an opened finding was removed, naming the ledger entry', async () => {
      const { files, dropped, zip } = await withRows(
        'findings.csv',
        r => !(r.event === 'opened' && r.identity === PAY_A),
      );
      expect(dropped.length).toBeGreaterThan(0);
      const change = ledgerOf(files).find(
        e => e.kind === 'status.changed' && e.subject === PAY_A,
      );
      const result = await verifyPackage(zip);
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({
        failures: expect.arrayContaining([
          {
            file: 'findings.csv',
            seq: change.seq,
            reason: `ledger entry ${change.seq} records that finding ${dropped[0].finding} was opened on ${PAY_A} at ${change.recordedAt}, which findings.csv does not show`,
          },
        ]),
      });
    });

    it('fails a package that hides a finding still open at the end, naming the identity', async () => {
      const { dropped, zip } = await withRows(
        'findings.csv',
        r => !(r.event === 'open-at-end' && r.identity === PAY_A),
      );
      expect(dropped.length).toBeGreaterThan(0);
      expect(await verifyPackage(zip)).toEqual({
        ok: false,
        failures: [
          {
            file: 'findings.csv',
            reason: expect.stringMatching(
              new RegExp(
                `^${PAY_A} ends the period with findings none open, where .* give ${dropped[0].finding}`,
              ),
            ),
          },
        ],
      });
    });

    it('fails a package whose rotation was moved to another day, naming the event and the field', async () => {
      const { files, zip } = await withRows(
        'rotations.csv',
        () => true,
        r =>
          r.event === 'rotated'
            ? { ...r, occurred_at: '2026-11-20T08:00:00.000Z' }
            : r,
      );
      const ingested = ledgerOf(files).find(e => e.kind === 'event.ingested');
      expect(await verifyPackage(zip)).toEqual({
        ok: false,
        failures: [
          {
            file: 'rotations.csv',
            row: 1,
            seq: ingested.seq,
            reason: expect.stringMatching(
              /^event rot-1 differs from ledger entry \d+: occurred_at "2026-11-20T08:00:00.000Z" where the ledger has "2026-11-10T08:00:00/,
            ),
          },
        ],
      });
    });

    it('fails a package from which a rotation was removed', async () => {
      const { files, zip } = await withRows(
        'rotations.csv',
        r => r.event !== 'rotated',
      );
      const ingested = ledgerOf(files).find(e => e.kind === 'event.ingested');
      expect(await verifyPackage(zip)).toEqual({
        ok: false,
        failures: [
          {
            file: 'rotations.csv',
            seq: ingested.seq,
            reason: `ledger entry ${ingested.seq} records event rot-1: ${PAY_A} rotated at ${ingested.payload.occurredAt}, which rotations.csv does not show`,
          },
        ],
      });
    });

    it('fails a package from which an undecided review item was removed, naming its assignment', async () => {
      const { files, dropped, zip } = await withRows(
        'access-reviews.csv',
        r => r.decision !== '',
      );
      expect(dropped.map(r => r.identity)).toEqual([PAY_B]);
      const assigned = ledgerOf(files).find(
        e => e.kind === 'review.assigned' && e.subject === PAY_B,
      );
      expect(await verifyPackage(zip)).toEqual({
        ok: false,
        failures: [
          {
            file: 'access-reviews.csv',
            seq: assigned.seq,
            reason: `ledger entry ${assigned.seq} assigns item ${dropped[0].item_id} on ${PAY_B} for review, which access-reviews.csv does not show`,
          },
        ],
      });
    });

    it('fails a package whose review snapshot was changed, naming the row', async () => {
      const { files, zip } = await withRows(
        'access-reviews.csv',
        () => true,
        r =>
          r.identity === PAY_B
            ? {
                ...r,
                snapshot: JSON.stringify({
                  ...JSON.parse(r.snapshot),
                  privilege: 'read-only',
                }),
              }
            : r,
      );
      expect(await verifyPackage(zip)).toMatchObject({
        ok: false,
        failures: [
          {
            file: 'access-reviews.csv',
            // Items are listed by id: PAY_B's row is wherever its id sorts.
            row:
              csv(files.get('access-reviews.csv')!).findIndex(
                r => r.identity === PAY_B,
              ) + 1,
            reason: expect.stringMatching(
              /^the snapshot of item .* is not the one its snapshot_sha256 [0-9a-f]{64} was computed from: it was changed$/,
            ),
          },
        ],
      });
    });

    it('runs as a command: exit 0 with PASS, 1 with each FAIL', async () => {
      const good = join(dir, 'good.zip');
      const zip = await exportZip(knex);
      await fs.writeFile(good, zip);
      const passed = await cli('verify', good);
      expect(passed.code).toBe(0);
      expect(passed.stdout).toMatch(
        new RegExp(
          `^PASS ${good}: \\d+ files, \\d+ ledger entries \\(seq \\d+-\\d+\\), package hash [0-9a-f]{64}, period 2026-10-01 to 2026-12-31\\n`,
        ),
      );

      const files = await unzip(zip);
      files.set('notes.txt', Buffer.from('x'));
      const bad = join(dir, 'bad.zip');
      await fs.writeFile(bad, await rezip(files));
      const failed = await cli('verify', bad);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toBe(
        'FAIL notes.txt: in the package but not listed in the manifest\n' +
          `${bad} does not verify: 1 problem\n`,
      );
    });
  });
});
