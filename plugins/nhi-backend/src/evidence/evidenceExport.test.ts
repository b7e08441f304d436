// The order the portal follows to show progress as the ZIP streams in.
import { EVIDENCE_PACKAGE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { Knex } from 'knex';
import { unzip } from '../__testUtils__/evidencePackage';
import { DateTime } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  ReviewBackend,
  identityEntity,
  startReviewBackend,
} from '../__testUtils__/reviewBackend';

jest.setTimeout(120_000);

const SAM = 'user:default/sam';
const DANA = 'user:default/dana';

/** The names of the entries of a ZIP, and the manifest. */
async function read(zip: Buffer) {
  const files = await unzip(zip);
  return {
    names: [...files.keys()],
    manifest: JSON.parse(files.get('manifest.json')!.toString()),
  };
}

describe('GET /evidence/package against a real backend', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;
    const today = DateTime.utc().toISODate()!;
    const monthAgo = DateTime.utc().minus({ days: 30 }).toISODate()!;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(knex, [identityEntity('pay-a')]);
      await backend.refresh();
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const download = (query: string, as: string) =>
      backend
        .get(`/evidence/package?${query}`, as)
        .buffer(true)
        .parse((res, done) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => done(null, Buffer.concat(parts)));
        });

    it('streams the package to security and records the export in the ledger', async () => {
      const res = await download(`from=${monthAgo}&to=${today}`, SAM);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="nhi-evidence-${monthAgo}-${today}.zip"`,
      );
      // The app on another origin reads the file name too.
      expect(res.headers['access-control-expose-headers']).toBe(
        'Content-Disposition',
      );
      const { names, manifest } = await read(res.body);
      expect(names).toEqual([...EVIDENCE_PACKAGE_FILES]);
      expect(manifest).toMatchObject({
        period: { from: monthAgo, to: today },
        generatedBy: SAM,
        files: expect.arrayContaining([
          expect.objectContaining({ name: 'inventory.csv', rows: 1 }),
        ]),
      });
      const [exported] = await knex('nhi_ledger')
        .where('kind', 'evidence.exported')
        .orderBy('seq', 'desc');
      expect(JSON.parse(exported.payload)).toMatchObject({
        exportedBy: SAM,
        period: { from: monthAgo, to: today },
        packageHash: manifest.packageHash,
      });
    });

    it('lists past exports with their package hashes, newest first', async () => {
      const res = await download(`from=${monthAgo}&to=${today}`, SAM);
      const { manifest } = await read(res.body);
      const list = await backend.get('/evidence/exports?limit=1', SAM);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        {
          seq: expect.any(Number),
          exportedAt: expect.any(String),
          exportedBy: SAM,
          period: { from: monthAgo, to: today },
          packageHash: manifest.packageHash,
          ledgerHead: manifest.ledgerHead,
          files: manifest.files,
        },
      ]);
      const all = await backend.get('/evidence/exports', SAM);
      expect(all.body.items.length).toBeGreaterThanOrEqual(2);
      expect(all.body.items[0].seq).toBeGreaterThan(all.body.items[1].seq);
      expect((await backend.get('/evidence/exports', DANA)).status).toBe(403);
      const bad = await backend.get('/evidence/exports?limit=0', SAM);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/limit must be at least 1/);
    });

    it('refuses anyone without the export permission', async () => {
      const before = await knex('nhi_ledger').count({ n: '*' });
      const res = await backend.get(
        `/evidence/package?from=${monthAgo}&to=${today}`,
        DANA,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('nhi.evidence.export');
      expect(await knex('nhi_ledger').count({ n: '*' })).toEqual(before);
    });

    it.each([
      ['from=2026-13-01&to=2026-12-31', /from must be a real date/],
      ['to=2026-12-31', /from is required/],
      ['from=2026-12-31&to=2026-10-01', /to must not be before from/],
      ['from=2020-01-01&to=2026-01-01', /at most 800 days/],
      [
        'from=2026-10-01&to=2026-12-31&campaign=x',
        /campaign must not be given/,
      ],
      ['from=2026-10-01&to=2026-12-31&format=pdf', /format is not a known/],
    ])('refuses %s, naming the field', async (query, message) => {
      const res = await backend.get(`/evidence/package?${query}`, SAM);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });

    it('answers 404 for an unknown campaign', async () => {
      const res = await backend.get('/evidence/package?campaign=nope', SAM);
      expect(res.status).toBe(404);
    });
  });
});
