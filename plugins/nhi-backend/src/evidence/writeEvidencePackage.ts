import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { createHash } from 'crypto';
import { once } from 'events';
import { PassThrough, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { ZipFile } from 'yazl';
import { PeriodBounds } from './store/EvidenceStore';

import { canonicalJson } from '../ledger/canonicalJson';
import { CsvFile, writeCsv } from './csvFile';
import { renderIndexHtml } from './indexHtml';
import { PackageSummary } from './packageSummary';
import {
  accessReviewsCsv,
  approvalsCsv,
  exceptionsCsv,
  findingsCsv,
  inventoryCsv,
  rotationsCsv,
  usageCsv,
} from './files';

/** A ledger row as its canonical JSON line: exactly what its hash was computed over, and more. */
const ledgerLine = (row: any) =>
  `${canonicalJson({
    seq: Number(row.seq),
    recordedAt: row.recorded_at,
    kind: row.kind,
    ...(row.subject ? { subject: row.subject } : {}),
    payload: JSON.parse(row.payload),
    prevHash: row.prev_hash,
    hash: row.hash,
  })}\n`;

async function* mapRows(rows: AsyncIterable<any>) {
  for await (const row of rows) yield ledgerLine(row);
}

/** A JSON Lines entry of the ZIP, hashed as written, waiting on the reader. */
async function writeJsonLines(
  zip: ZipFile,
  name: string,
  mtime: Date,
  lines: AsyncIterable<string>,
  signal: AbortSignal,
) {
  const entry = new PassThrough();
  zip.addReadStream(entry, name, { mtime, mode: 0o100644 });
  const hash = createHash('sha256');
  let rows = 0;
  for await (const line of lines) {
    hash.update(line);
    rows++;
    if (!entry.write(line)) await once(entry, 'drain', { signal });
  }
  entry.end();
  return { name, sha256: hash.digest('hex'), rows };
}

/** An audit period as asked for: whole UTC days, both ends included. */
export interface EvidencePeriod {
  from: string;
  to: string;
}

export interface PackageManifest {
  format: 'nhi-evidence/v1';
  period: EvidencePeriod;
  campaign?: { id: string; period: string };
  generatedAt: string;
  generatedBy: string;
  ledgerHead: { seq: number; hash: string };
  files: Array<{ name: string; sha256: string; rows?: number }>;
  /** SHA-256 of the canonical JSON of `files`: the package's own hash, computed offline too. */
  packageHash: string;
  policy: unknown;
}

/** How the package was made: when, by whom, under which policy, for which campaign. */
export interface PackageMeta {
  generatedAt: string;
  generatedBy: string;
  policy: unknown;
  /** The campaign the period was taken from, when the export named one. */
  campaign?: { id: string; period: string };
}

export const boundsOf = (period: EvidencePeriod): PeriodBounds => ({
  from: DateTime.fromISO(period.from, { zone: 'utc' }).toISO()!,
  to: DateTime.fromISO(period.to, { zone: 'utc' }).plus({ days: 1 }).toISO()!,
});

/**
 * The package's own hash: over the canonical JSON of the whole manifest but this hash (the
 * period, the ledger head, the policy and every file's hash), as read back from manifest.json.
 */
export const packageHashOf = (manifest: Omit<PackageManifest, 'packageHash'>) =>
  createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(manifest))))
    .digest('hex');

/**
 * Streams the SOC 2 evidence package of a period as a ZIP into `out`: each file is produced a
 * page at a time and hashed as it is written, so memory stays flat however many identities and
 * events the period holds. Every entry carries the period's end as its time, so the same
 * period over the same data gives the same bytes.
 */
export async function writeEvidencePackage(
  stores: NhiStores,
  period: EvidencePeriod,
  out: Writable,
  meta: PackageMeta,
  /** Runs once the manifest is known, before the package's last bytes are written. */
  beforeEnd?: (manifest: PackageManifest) => Promise<void>,
): Promise<PackageManifest> {
  // PostgreSQL reads the whole package from one snapshot, so rows and ledger entries written
  // meanwhile are in neither; SQLite, one writer behind one connection, cannot hold a read
  // open that long without stopping the plugin, and caps the ledger at the head instead.
  // A reader that goes away (a cancelled download) fails the pipeline; every wait below then
  // ends instead of waiting for room that will never come.
  const abort = new AbortController();
  const zip = new ZipFile();
  const written = pipeline(zip.outputStream, out).catch(error => {
    abort.abort(error);
    throw error;
  });
  written.catch(() => {});
  return stores.readSnapshot(snapshot =>
    writePackage(snapshot, period, zip, written, abort.signal, meta, beforeEnd),
  );
}

async function writePackage(
  stores: NhiStores,
  period: EvidencePeriod,
  zip: ZipFile,
  written: Promise<void>,
  signal: AbortSignal,
  meta: PackageMeta,
  beforeEnd?: (manifest: PackageManifest) => Promise<void>,
): Promise<PackageManifest> {
  const bounds = boundsOf(period);
  const mtime = DateTime.fromISO(bounds.to).toJSDate();
  const head = await stores.ledger.readLedgerHead();
  const slice = await stores.evidence.ledgerSliceOf(bounds, head.seq);
  const files: PackageManifest['files'] = [];

  const summary = new PackageSummary();
  const csvFiles: CsvFile[] = [
    inventoryCsv(stores, bounds),
    accessReviewsCsv(stores, bounds),
    exceptionsCsv(stores, bounds),
    approvalsCsv(stores, bounds),
    rotationsCsv(stores, bounds),
    findingsCsv(stores, bounds, slice),
    usageCsv(stores, bounds),
  ];
  for (const file of csvFiles) {
    const entry = new PassThrough();
    zip.addReadStream(entry, file.name, { mtime, mode: 0o100644 });
    const { sha256, rows } = await writeCsv(
      summary.observe(file),
      entry,
      signal,
    );
    files.push({ name: file.name, sha256, rows });
  }

  // The ledger entries of the period, one canonical JSON object per line, as hashed.
  files.push(
    await writeJsonLines(
      zip,
      EVIDENCE_FILES.ledger.name,
      mtime,
      mapRows(stores.evidence.ledgerRows(slice)),
      signal,
    ),
  );
  // What the ledger said of each identity of the inventory when the period began.
  const firstSeq = slice?.firstInPeriod ?? 1;
  files.push(
    await writeJsonLines(
      zip,
      EVIDENCE_FILES.ledgerIdentities.name,
      mtime,
      (async function* registrations() {
        let batch: string[] = [];
        const flush = async function* flushBatch() {
          for (const row of await stores.evidence.registrationEntries(
            batch,
            firstSeq,
          )) {
            yield ledgerLine(row);
          }
          batch = [];
        };
        for await (const { ref } of stores.evidence.inventoryRefs(bounds)) {
          batch.push(ref);
          if (batch.length === 500) yield* flush();
        }
        yield* flush();
      })(),
      signal,
    ),
  );

  const index = Buffer.from(
    renderIndexHtml(
      {
        period,
        campaign: meta.campaign,
        generatedAt: meta.generatedAt,
        generatedBy: meta.generatedBy,
        ledgerHead: head,
      },
      summary,
    ),
  );
  zip.addBuffer(index, EVIDENCE_FILES.index.name, { mtime, mode: 0o100644 });
  files.push({
    name: EVIDENCE_FILES.index.name,
    sha256: createHash('sha256').update(index).digest('hex'),
  });

  const unsigned: Omit<PackageManifest, 'packageHash'> = {
    format: 'nhi-evidence/v1',
    period,
    ...(meta.campaign ? { campaign: meta.campaign } : {}),
    generatedAt: meta.generatedAt,
    generatedBy: meta.generatedBy,
    ledgerHead: head,
    files,
    policy: meta.policy,
  };
  const manifest: PackageManifest = {
    ...unsigned,
    packageHash: packageHashOf(unsigned),
  };
  await beforeEnd?.(manifest);
  zip.addBuffer(
    Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    EVIDENCE_FILES.manifest.name,
    { mtime, mode: 0o100644 },
  );
  zip.end();
  await written;
  return manifest;
}
