import { MANIFEST } from './packageFiles';
import type { VerifyFailure } from './types';
import { isRecord } from './values';

/** The evidence package format this verifier knows. */
export const PACKAGE_FORMAT = 'nhi-evidence/v1';

/** manifest.json of an evidence package, as the backend writes it. */
export interface PackageManifest {
  format: typeof PACKAGE_FORMAT;
  /** Whole UTC days, both ends included. */
  period: { from: string; to: string };
  /** The campaign the period was taken from, when the export named one. */
  campaign?: { id: string; period: string };
  generatedAt: string;
  generatedBy: string;
  /** The ledger's head when the package was written. */
  ledgerHead?: { seq: number; hash: string };
  /**
   * The ledger's head signed at export (a signed checkpoint note whose size and hash are
   * `ledgerHead`'s), with the key that signed it as its fingerprint and verifier key.
   */
  checkpoint?: ManifestCheckpoint;
  files: Array<{ name: string; sha256: string; rows?: number }>;
  /** SHA-256 of the canonical JSON of `files`. */
  packageHash: string;
  policy?: unknown;
}

/** The signed checkpoint of a manifest. */
export interface ManifestCheckpoint {
  note: string;
  publicKeyFingerprint: string;
  verifierKey: string;
}

const CHECKPOINT_MEMBERS = ['note', 'publicKeyFingerprint', 'verifierKey'];

/** The manifest's checkpoint, when it has one of the right shape (else the failure). */
function readCheckpointMember(
  value: unknown,
  fail: (failure: VerifyFailure) => void,
): ManifestCheckpoint | undefined {
  if (value === undefined) return undefined;
  if (
    !isRecord(value) ||
    CHECKPOINT_MEMBERS.some(k => typeof value[k] !== 'string')
  ) {
    fail({
      file: MANIFEST,
      reason:
        'checkpoint must have a note, a publicKeyFingerprint and a verifierKey, each a string',
    });
    return undefined;
  }
  return {
    note: value.note,
    publicKeyFingerprint: value.publicKeyFingerprint,
    verifierKey: value.verifierKey,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Midnight UTC of a `YYYY-MM-DD` day, or NaN when it is not a real day. */
export function dayStart(day: unknown): number {
  if (typeof day !== 'string' || !DAY.test(day)) return NaN;
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day
    ? NaN
    : ms;
}

/**
 * Checks the manifest's shape, reporting each problem against manifest.json. Answers the
 * manifest when the package can be verified against it: a known format, a real period and a
 * list of files each with a name and a SHA-256.
 */
export function readManifest(
  value: unknown,
  fail: (failure: VerifyFailure) => void,
): PackageManifest | undefined {
  const file = MANIFEST;
  if (!isRecord(value)) {
    fail({ file, reason: 'is not a JSON object' });
    return undefined;
  }
  if (value.format !== PACKAGE_FORMAT) {
    fail({
      file,
      reason: `format ${JSON.stringify(
        value.format,
      )} is not one this verifier knows (${PACKAGE_FORMAT})`,
    });
    return undefined;
  }
  let usable = true;
  const period = value.period;
  const from = dayStart(period?.from);
  const to = dayStart(period?.to);
  if (!isRecord(period) || Number.isNaN(from) || Number.isNaN(to)) {
    fail({ file, reason: 'period must have from and to as YYYY-MM-DD days' });
    usable = false;
  } else if (from > to) {
    fail({ file, reason: `period ends (${period.to}) before it starts` });
    usable = false;
  }
  if (!Array.isArray(value.files)) {
    fail({ file, reason: 'files must be a list' });
    return undefined;
  }
  const names = new Set<string>();
  value.files.forEach((f: unknown, i: number) => {
    if (
      !isRecord(f) ||
      typeof f.name !== 'string' ||
      !f.name ||
      typeof f.sha256 !== 'string' ||
      !SHA256.test(f.sha256) ||
      (f.rows !== undefined && !(Number.isSafeInteger(f.rows) && f.rows >= 0))
    ) {
      fail({
        file,
        reason: `files[${i}] must have a name, a sha256 (64 hex digits) and rows, if any, as a count`,
      });
      usable = false;
    } else if (names.has(f.name)) {
      fail({ file, reason: `files lists ${f.name} more than once` });
      usable = false;
    } else {
      names.add(f.name);
    }
  });
  if (typeof value.packageHash !== 'string') {
    fail({ file, reason: 'packageHash is missing' });
  }
  const head = value.ledgerHead;
  if (
    !isRecord(head) ||
    !Number.isSafeInteger(head.seq) ||
    head.seq < 0 ||
    typeof head.hash !== 'string'
  ) {
    fail({ file, reason: 'ledgerHead must have a seq and a hash' });
  }
  const checkpoint = readCheckpointMember(value.checkpoint, fail);
  if (!usable) return undefined;
  return {
    ...value,
    checkpoint,
    ledgerHead:
      isRecord(head) && Number.isSafeInteger(head.seq)
        ? { seq: head.seq, hash: String(head.hash) }
        : undefined,
    generatedAt: String(value.generatedAt ?? ''),
    generatedBy: String(value.generatedBy ?? ''),
  } as PackageManifest;
}
