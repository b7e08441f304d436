import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { createHash } from 'crypto';
import { Writable } from 'stream';
import { pipeline } from 'stream/promises';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { ZipFile } from 'yazl';
import { LedgerSlice, PeriodBounds } from './store/EvidenceStore';

import { canonicalJson } from '../ledger/canonicalJson';
import { CsvFile, writeCsv } from './csvFile';
import { renderIndexHtml } from './indexHtml';
import { writeLedger, writeLedgerIdentities } from './ledgerFiles';
import { PackageSummary } from './packageSummary';
import { PackageZip, addBufferEntry, addStreamEntry } from './packageZip';
import {
  accessReviewsCsv,
  approvalsCsv,
  exceptionsCsv,
  findingsCsv,
  inventoryCsv,
  rotationsCsv,
  usageCsv,
} from './files';

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
  /** The ledger head signed at export: `ledgerHead` is the entry it signs. */
  checkpoint?: ExportCheckpoint;
  files: Array<{ name: string; sha256: string; rows?: number }>;
  /** SHA-256 of the canonical JSON of `files`: the package's own hash, computed offline too. */
  packageHash: string;
  policy: unknown;
}

/** A signed checkpoint as the manifest carries it, with the key to check it by. */
export interface ExportCheckpoint {
  note: string;
  publicKeyFingerprint: string;
  verifierKey: string;
}

/** How the package was made: when, by whom, under which policy, for which campaign. */
export interface PackageMeta {
  generatedAt: string;
  generatedBy: string;
  policy: unknown;
  /** The campaign the period was taken from, when the export named one. */
  campaign?: { id: string; period: string };
  /**
   * Signs the head the package is read at (kept and published before the package is read on);
   * the package then covers the ledger up to exactly that head.
   */
  signHead?: (head: { seq: number; hash: string }) => Promise<ExportCheckpoint>;
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

/** The CSV files of the package, in the order of the ZIP, each counted for index.html. */
async function writeCsvFiles(
  z: PackageZip,
  stores: NhiStores,
  bounds: PeriodBounds,
  slice: LedgerSlice | undefined,
  summary: PackageSummary,
): Promise<PackageManifest['files']> {
  const csvFiles: CsvFile[] = [
    inventoryCsv(stores, bounds, slice),
    accessReviewsCsv(stores, bounds),
    exceptionsCsv(stores, bounds),
    approvalsCsv(stores, bounds),
    rotationsCsv(stores, bounds),
    findingsCsv(stores, bounds, slice),
    usageCsv(stores, bounds),
  ];
  const files: PackageManifest['files'] = [];
  for (const file of csvFiles) {
    const entry = addStreamEntry(z, file.name);
    const { sha256, rows } = await writeCsv(
      summary.observe(file),
      entry,
      z.signal,
    );
    files.push({ name: file.name, sha256, rows });
  }
  return files;
}

/** index.html, rendered from what the CSV files counted, with its hash. */
function writeIndex(
  z: PackageZip,
  period: EvidencePeriod,
  meta: PackageMeta,
  ledgerHead: PackageManifest['ledgerHead'],
  summary: PackageSummary,
) {
  const index = Buffer.from(
    renderIndexHtml(
      {
        period,
        campaign: meta.campaign,
        generatedAt: meta.generatedAt,
        generatedBy: meta.generatedBy,
        ledgerHead,
      },
      summary,
    ),
  );
  addBufferEntry(z, EVIDENCE_FILES.index.name, index);
  return {
    name: EVIDENCE_FILES.index.name,
    sha256: createHash('sha256').update(index).digest('hex'),
  };
}

/** The manifest of the written files, signed with the package's own hash. */
function manifestOf(
  period: EvidencePeriod,
  meta: PackageMeta,
  ledgerHead: PackageManifest['ledgerHead'],
  checkpoint: ExportCheckpoint | undefined,
  files: PackageManifest['files'],
): PackageManifest {
  const unsigned: Omit<PackageManifest, 'packageHash'> = {
    format: 'nhi-evidence/v1',
    period,
    ...(meta.campaign ? { campaign: meta.campaign } : {}),
    generatedAt: meta.generatedAt,
    generatedBy: meta.generatedBy,
    ledgerHead,
    ...(checkpoint ? { checkpoint } : {}),
    files,
    policy: meta.policy,
  };
  return { ...unsigned, packageHash: packageHashOf(unsigned) };
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
  const z: PackageZip = {
    zip,
    mtime: DateTime.fromISO(bounds.to).toJSDate(),
    signal,
  };
  // The head is the first read: on PostgreSQL it fixes the snapshot every file is read from, so
  // the head signed is exactly the state the files show. Entries after it (the checkpoint's own
  // first) wait for the next package.
  const head = await stores.ledger.readLedgerHead();
  const checkpoint = await meta.signHead?.(head);
  const slice = await stores.evidence.ledgerSliceOf(bounds, head.seq);
  const summary = new PackageSummary();
  const files = await writeCsvFiles(z, stores, bounds, slice, summary);
  files.push(await writeLedger(z, stores, slice));
  files.push(await writeLedgerIdentities(z, stores, bounds, slice));
  files.push(writeIndex(z, period, meta, head, summary));

  const manifest = manifestOf(period, meta, head, checkpoint, files);
  await beforeEnd?.(manifest);
  addBufferEntry(
    z,
    EVIDENCE_FILES.manifest.name,
    Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
  );
  zip.end();
  await written;
  return manifest;
}
