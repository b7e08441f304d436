import { hashEntry } from './ledger/chain';
import { verifyPackage } from './verifyPackage';
import {
  FINDING_COLUMNS,
  INVENTORY_COLUMNS,
  inventoryRow,
  ITEM,
  PAY_A,
  findingRow,
  chainOf,
  csvOf,
  jsonl,
  manifestOf,
  samplePackage,
  signed,
  sampleZip,
  zipOf,
} from './__testUtils__/testPackage';

/** The sample package with its files changed, and a manifest made for the changed files. */
async function changed(change: (p: ReturnType<typeof samplePackage>) => void) {
  const p = samplePackage();
  change(p);
  return verifyPackage(await zipOf(p.files, manifestOf(p.files, p.ledger)));
}

describe('verifyPackage', () => {
  it('passes a package whose files, chain and decisions all agree', async () => {
    expect(await verifyPackage(await sampleZip())).toEqual({
      ok: true,
      summary: expect.objectContaining({
        format: 'nhi-evidence/v1',
        period: { from: '2026-10-01', to: '2026-12-31' },
        files: 9,
        ledgerEntries: 7,
        ledgerFirstSeq: 2,
        ledgerLastSeq: 8,
        identityEntries: 1,
        checked: {
          identities: 1,
          decisions: 2,
          exceptions: 1,
          approvals: 1,
          findings: 1,
          events: 1,
        },
      }),
    });
  });

  it('compares a cell the way the exporter wrote it, even text that starts with an apostrophe', async () => {
    // "'=x" is not neutralised again (it does not start a formula): written as is.
    const result = await changed(p => {
      p.ledger[3].payload.justification = "'=x";
      p.ledger.splice(0, p.ledger.length, ...rechain(p.ledger));
      p.files.set('ledger.jsonl', jsonl(p.ledger.slice(1)));
      p.files.set(
        'access-reviews.csv',
        p.files
          .get('access-reviews.csv')!
          .replace("'=1+1 no longer needed", "'=x"),
      );
    });
    expect(result).toMatchObject({ ok: true });
  });

  it('names the row whose earlier decision is not the one the ledger recorded', async () => {
    const result = await changed(p => {
      p.files.set(
        'access-reviews.csv',
        p.files
          .get('access-reviews.csv')!
          .replace('""decision"":""certify""', '""decision"":""revoke""'),
      );
    });
    expect(result).toEqual({
      ok: false,
      failures: [
        {
          file: 'access-reviews.csv',
          row: 1,
          seq: 3,
          reason: `an earlier decision, version 1 of item ${ITEM} differs from ledger entry 3: decision "revoke" where the ledger has "certify"`,
        },
      ],
    });
  });

  it('names the ledger entry of a decision the access reviews do not show', async () => {
    const result = await changed(p => {
      p.files.set(
        'access-reviews.csv',
        p.files.get('access-reviews.csv')!.split('\r\n')[0].concat('\r\n'),
      );
    });
    expect(result).toEqual({
      ok: false,
      failures: [3, 4].map(seq => ({
        file: 'access-reviews.csv',
        seq,
        reason: expect.stringMatching(
          new RegExp(
            `^ledger entry ${seq} records version ${
              seq - 2
            } of item ${ITEM} on ${PAY_A} .*, which access-reviews.csv does not show$`,
          ),
        ),
      })),
    });
  });

  it('names the inventory row of an identity the ledger never registered', async () => {
    const result = await changed(p => {
      p.files.set(
        'inventory.csv',
        csvOf(INVENTORY_COLUMNS, [
          inventoryRow(),
          inventoryRow({ identity: 'machineidentity:default/ghost' }),
        ]),
      );
    });
    expect(result).toEqual({
      ok: false,
      failures: [
        {
          file: 'inventory.csv',
          row: 2,
          reason:
            'identity machineidentity:default/ghost has no identity.registered or identity.changed entry in ledger-identities.jsonl or ledger.jsonl',
        },
      ],
    });
  });

  it('names an identity entry that was changed, or that is not before the period', async () => {
    const result = await changed(p => {
      const tampered = {
        ...p.ledger[0],
        payload: { ...p.ledger[0].payload, source: 'other' },
      };
      p.files.set('ledger-identities.jsonl', jsonl([tampered, p.ledger[2]]));
    });
    expect(result).toMatchObject({
      ok: false,
      failures: [
        {
          file: 'ledger-identities.jsonl',
          seq: 1,
          reason: expect.stringContaining('was changed after it was written'),
        },
        {
          file: 'ledger-identities.jsonl',
          seq: 3,
          reason: expect.stringContaining('is review.decided, not an identity'),
        },
        { file: 'inventory.csv', row: 1 },
      ],
    });
  });

  it('names the line of a ledger file that is not an entry, and the entry it leaves out', async () => {
    const result = await changed(p => {
      const lines = jsonl(p.ledger.slice(1)).split('\n');
      lines[1] = '{"seq": 3, "oops": true';
      p.files.set('ledger.jsonl', lines.join('\n'));
    });
    expect(result).toMatchObject({
      ok: false,
      failures: expect.arrayContaining([
        { file: 'ledger.jsonl', line: 2, reason: 'line 2 is not JSON' },
        {
          file: 'ledger.jsonl',
          seq: 3,
          reason:
            'entry 3 is missing: entry 4 comes after entry 2 (entries were removed or reordered)',
        },
      ]),
    });
  });

  it('names the entry that disagrees with the ledger head of the manifest', async () => {
    const p = samplePackage();
    const manifest = manifestOf(p.files, p.ledger);
    manifest.ledgerHead.hash = 'f'.repeat(64);
    expect(await verifyPackage(await zipOf(p.files, signed(manifest)))).toEqual(
      {
        ok: false,
        failures: [
          {
            file: 'ledger.jsonl',
            seq: 8,
            reason: `entry 8 has hash ${
              p.ledger[7].hash
            }, but the manifest's ledgerHead records ${'f'.repeat(64)} for it`,
          },
        ],
      },
    );
  });

  it('accepts a slice closed by the first entry recorded after the period', async () => {
    const result = await changed(p => {
      const late = {
        recordedAt: '2027-01-01T00:00:00.000Z',
        kind: 'campaign.closed',
        payload: {},
      };
      const ledger = rechain([...p.ledger, late]);
      p.ledger.splice(0, p.ledger.length, ...ledger);
      p.files.set('ledger.jsonl', jsonl(ledger.slice(1)));
    });
    expect(result).toMatchObject({ ok: true, summary: { ledgerLastSeq: 9 } });
  });

  it('fails a slice cut short at either end, though every hash was recomputed', async () => {
    const cutEnd = await changed(p => {
      // Entries 7 and 8 dropped; the manifest still names entry 8 as the head.
      p.files.set('ledger.jsonl', jsonl(p.ledger.slice(1, 6)));
    });
    expect(cutEnd).toMatchObject({
      ok: false,
      failures: expect.arrayContaining([
        {
          file: 'ledger.jsonl',
          seq: 6,
          reason:
            "ledger.jsonl ends at entry 6, recorded at 2026-12-01T00:00:00.000Z within the period, but the ledger's head was entry 8: the entries after it are missing",
        },
      ]),
    });
    const cutStart = await changed(p => {
      p.files.set('ledger.jsonl', jsonl(p.ledger.slice(2)));
    });
    expect(cutStart).toMatchObject({
      ok: false,
      failures: expect.arrayContaining([
        {
          file: 'ledger.jsonl',
          seq: 3,
          reason:
            'ledger.jsonl starts at entry 3, recorded at 2026-11-29T12:00:00.000Z within the period: the entries before it, back to one recorded before the period, are missing',
        },
      ]),
    });
    const empty = await changed(p => p.files.set('ledger.jsonl', ''));
    expect(empty).toMatchObject({
      ok: false,
      failures: expect.arrayContaining([
        {
          file: 'ledger.jsonl',
          reason:
            "holds no entry, but the ledger's head was entry 8: the slice of the period is missing",
        },
      ]),
    });
  });

  it('fails a manifest whose period was changed, though its file hashes all match', async () => {
    const p = samplePackage();
    const manifest = manifestOf(p.files, p.ledger);
    const moved = {
      ...manifest,
      period: { from: '2026-12-01', to: '2026-12-31' },
    };
    expect(await verifyPackage(await zipOf(p.files, moved))).toMatchObject({
      ok: false,
      failures: expect.arrayContaining([
        {
          file: 'manifest.json',
          reason: expect.stringMatching(
            /^packageHash [0-9a-f]{64} is not the hash of the rest of the manifest/,
          ),
        },
      ]),
    });
  });

  it('fails a finding change the ledger does not record, and an unknown rotation event', async () => {
    const result = await changed(p => {
      p.files.set(
        'findings.csv',
        csvOf(FINDING_COLUMNS, [
          findingRow('closed', '2026-12-03T00:00:00.000Z'),
          findingRow('opened', '2026-12-04T00:00:00.000Z').map(c =>
            c === 'rotation-overdue' ? 'owner-missing' : c,
          ),
          findingRow('open-at-start', '2026-09-01T00:00:00.000Z'),
        ]),
      );
      p.files.set(
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
            [PAY_A, 'renamed', 'x', '2026-12-01T08:00:00.000Z', ''],
          ],
        ),
      );
    });
    expect(result).toEqual({
      ok: false,
      failures: [
        {
          file: 'rotations.csv',
          row: 2,
          reason:
            'event "renamed" is not one of issued, rotated, revoked, expired, overdue',
        },
        {
          file: 'findings.csv',
          row: 2,
          reason: `finding owner-missing opened on ${PAY_A} at 2026-12-04T00:00:00.000Z has no status.changed entry in ledger.jsonl that records it`,
        },
      ],
    });
  });

  it('requires the files of the format, and refuses a manifest it does not know', async () => {
    const p = samplePackage();
    p.files.delete('approvals.csv');
    expect(
      await verifyPackage(await zipOf(p.files, manifestOf(p.files, p.ledger))),
    ).toEqual({
      ok: false,
      failures: [
        {
          file: 'approvals.csv',
          reason:
            'not listed in the manifest: every nhi-evidence/v1 package holds it',
        },
      ],
    });
    expect(
      await verifyPackage(
        await zipOf(p.files, {
          ...manifestOf(p.files, p.ledger),
          format: 'v0',
        }),
      ),
    ).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason:
            'format "v0" is not one this verifier knows (nhi-evidence/v1)',
        },
      ],
    });
    expect(await verifyPackage(await zipOf(p.files, undefined))).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason: 'missing: without it nothing in the package can be verified',
        },
      ],
    });
  });

  it('names a file listed but missing, and a row count that disagrees', async () => {
    const p = samplePackage();
    const manifest = manifestOf(p.files, p.ledger);
    manifest.files[0].rows = 5;
    p.files.delete('exceptions.csv');
    const result = await verifyPackage(await zipOf(p.files, manifest));
    expect(result).toMatchObject({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason: expect.stringContaining(
            'is not the hash of the rest of the manifest',
          ),
        },
        {
          file: 'exceptions.csv',
          reason: 'listed in the manifest but missing from the package',
        },
        {
          file: 'inventory.csv',
          reason: 'holds 1 rows where the manifest lists 5',
        },
      ],
    });
  });

  it('fails what is not a ZIP, naming it', async () => {
    expect(await verifyPackage(Buffer.from('not a zip'))).toEqual({
      ok: false,
      failures: [
        {
          file: 'package',
          reason: expect.stringContaining('is not a readable ZIP'),
        },
      ],
    });
  });
});

/** The entries linked and hashed again after a change, as a forger would. */
function rechain(
  entries: Array<Omit<Parameters<typeof hashEntry>[0], 'seq' | 'prevHash'>>,
) {
  return chainOf(
    entries.map(e => ({
      recordedAt: e.recordedAt,
      kind: e.kind,
      payload: e.payload,
      ...(e.subject ? { subject: e.subject } : {}),
    })),
  );
}
