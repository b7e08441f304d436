import { createHash } from 'crypto';
import { basename } from 'path';
import type { Entry } from 'yauzl';
import { canonicalJson } from './ledger/canonicalJson';
import { Failures } from './failures';
import { readAll } from './lines';
import { PackageManifest, readManifest } from './manifest';
import { MANIFEST } from './packageFiles';
import { PackageVerification } from './PackageVerification';
import type { VerifyOptions, VerifyResult, VerifySummary } from './types';
import { errorMessage } from './values';
import { ZipReader, openZip } from './zip';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Verifies an evidence package offline: every file the manifest lists is there, unchanged,
 * and nothing else; the package hash; the ledger slice as a hash chain from its anchor; the
 * identities' registrations; and every decision of the CSV files against the ledger entry
 * that recorded it (and every decision the ledger recorded in the period against the files);
 * and the signed checkpoints, the ledger's and the manifest's, against the chain (and, given
 * `options.publicKey`, their signatures).
 * The ZIP is read one file at a time, each as a stream: of the ledger, only the decisions
 * and the registered identities are kept.
 */
export async function verifyPackage(
  source: string | Buffer,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const failures = new Failures();
  let zip: ZipReader;
  try {
    zip = await openZip(source);
  } catch (error) {
    return {
      ok: false,
      failures: [
        {
          file: typeof source === 'string' ? basename(source) : 'package',
          reason: `is not a readable ZIP: ${errorMessage(error)}`,
        },
      ],
    };
  }
  try {
    const summary = await verifyOpened(zip, failures, options);
    const list = failures.done();
    if (list.length || !summary) return { ok: false, failures: list };
    return { ok: true, summary };
  } finally {
    zip.close();
  }
}

/** The package's entries by name; a name found twice is a failure. */
function entriesByName(zip: ZipReader, failures: Failures) {
  const entries = new Map<string, Entry>();
  for (const entry of zip.entries) {
    if (entries.has(entry.fileName)) {
      failures.add({
        file: entry.fileName,
        reason: 'is in the package more than once',
      });
    } else {
      entries.set(entry.fileName, entry);
    }
  }
  return entries;
}

/** manifest.json parsed as JSON, or undefined (with the failure) when it cannot be. */
async function readManifestJson(
  zip: ZipReader,
  entry: Entry | undefined,
  failures: Failures,
): Promise<{ value: unknown } | undefined> {
  if (!entry) {
    failures.add({
      file: MANIFEST,
      reason: 'missing: without it nothing in the package can be verified',
    });
    return undefined;
  }
  if (entry.uncompressedSize > MAX_MANIFEST_BYTES) {
    failures.add({ file: MANIFEST, reason: 'is too large to be a manifest' });
    return undefined;
  }
  try {
    const text = (await readAll(await zip.open(entry))).toString('utf8');
    return { value: JSON.parse(text) };
  } catch (error) {
    failures.add({
      file: MANIFEST,
      reason: `cannot be read as JSON: ${errorMessage(error)}`,
    });
    return undefined;
  }
}

/**
 * The packageHash covers everything the manifest says but the hash itself: the period, the
 * ledger head, the policy and each file's hash. It must also be the one the portal recorded,
 * when the caller knows it.
 */
function checkPackageHash(
  value: unknown,
  manifest: PackageManifest,
  options: VerifyOptions,
  failures: Failures,
) {
  const { packageHash: _claimed, ...unsigned } = value as Record<
    string,
    unknown
  >;
  const packageHash = createHash('sha256')
    .update(canonicalJson(unsigned))
    .digest('hex');
  if (packageHash !== manifest.packageHash) {
    failures.add({
      file: MANIFEST,
      reason: `packageHash ${manifest.packageHash} is not the hash of the rest of the manifest (${packageHash}): the manifest was changed after it was written`,
    });
  }
  if (
    options.expectPackageHash !== undefined &&
    options.expectPackageHash !== manifest.packageHash
  ) {
    failures.add({
      file: MANIFEST,
      reason: `packageHash ${manifest.packageHash} is not the expected ${options.expectPackageHash}, the hash the portal recorded when it exported the package`,
    });
  }
}

async function verifyOpened(
  zip: ZipReader,
  failures: Failures,
  options: VerifyOptions,
): Promise<VerifySummary | undefined> {
  const entries = entriesByName(zip, failures);
  const json = await readManifestJson(zip, entries.get(MANIFEST), failures);
  if (!json) return undefined;
  const manifest = readManifest(json.value, failures.add);
  if (!manifest) return undefined;
  checkPackageHash(json.value, manifest, options, failures);

  const verification = new PackageVerification(
    zip,
    manifest,
    failures,
    options,
  );
  // A malformed checkpoint was failed by readManifest: it is not also reported as missing.
  const carriesCheckpoint =
    (json.value as Record<string, unknown>).checkpoint !== undefined;
  verification.checkpoints.checkManifest(manifest, carriesCheckpoint);
  await verification.run(entries);
  return {
    format: manifest.format,
    period: manifest.period,
    generatedAt: manifest.generatedAt,
    generatedBy: manifest.generatedBy,
    packageHash: manifest.packageHash,
    ledgerHead: manifest.ledgerHead,
    files: manifest.files.length,
    ledgerEntries: verification.slice.entries,
    ledgerFirstSeq: verification.slice.firstSeq,
    ledgerLastSeq: verification.slice.lastSeq,
    identityEntries: verification.identityEntries,
    checkpoints: verification.checkpoints.summary(),
    checked: verification.checked,
    notChecked: [
      ...verification.notChecked.list(),
      ...verification.checkpoints.notChecked(),
    ],
  };
}
