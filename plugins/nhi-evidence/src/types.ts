import type { KeyObject } from 'crypto';

/** One thing wrong with an evidence package, named as precisely as it can be. */
export interface VerifyFailure {
  /** The file of the package (or, for a package that cannot be opened, the package). */
  file: string;
  /** The CSV data row, counted from 1 after the header. */
  row?: number;
  /** The line of a JSON Lines file, counted from 1, that is not a ledger entry at all. */
  line?: number;
  /** The ledger entry concerned. */
  seq?: number;
  reason: string;
}

/** Cells of a package the verifier did not compare with the ledger, and why. */
export interface NotChecked {
  file: string;
  columns: string[];
  why: string;
  /** When only some rows: how many (counted from 1 after the header), and the first of them. */
  rows?: number;
  firstRows?: number[];
}

/** What a package that verifies holds. */
export interface VerifySummary {
  format: string;
  period: { from: string; to: string };
  generatedAt: string;
  generatedBy: string;
  /** The package's own hash, to compare with the one the backend's ledger recorded at export. */
  packageHash: string;
  ledgerHead?: { seq: number; hash: string };
  /** The files the manifest lists (manifest.json not counted). */
  files: number;
  /** The entries of ledger.jsonl, its anchor included, and the first and last seq. */
  ledgerEntries: number;
  ledgerFirstSeq?: number;
  ledgerLastSeq?: number;
  /** The entries of ledger-identities.jsonl. */
  identityEntries: number;
  /**
   * The signed checkpoints compared with the ledger: the `ledger.checkpoint` entries of
   * ledger.jsonl and the manifest's own. `lastSize`: the last entry any of them covers;
   * `signaturesVerifiedWith`: the fingerprint of the key every signature was checked with,
   * when one was given.
   */
  checkpoints: {
    count: number;
    lastSize?: number;
    signaturesVerifiedWith?: string;
  };
  /** What was matched against the ledger. */
  checked: {
    identities: number;
    decisions: number;
    exceptions: number;
    approvals: number;
    /** Findings opened, closed or excepted, in findings.csv. */
    findings: number;
    /** Issues, rotations, revocations and expiries, in rotations.csv. */
    events: number;
  };
  /**
   * What it could not check: the cells no ledger entry of the package records (every package
   * lists them), and rows whose ledger entry is not in this package.
   */
  notChecked: NotChecked[];
}

export type VerifyResult =
  | { ok: true; summary: VerifySummary }
  | { ok: false; failures: VerifyFailure[] };

/** What the caller already knows of the package. */
export interface VerifyOptions {
  /**
   * The package hash the portal recorded when it exported the package (the Evidence tab, or
   * `GET /api/nhi/evidence/exports`): a package rewritten whole, its hashes recomputed, fails.
   */
  expectPackageHash?: string;
  /**
   * The Ed25519 key the portal signs its checkpoints with (its published verifier key or PEM
   * public key, read with `readKey`), never one taken from the package: every checkpoint must
   * then be signed with it, and the manifest must carry one.
   */
  publicKey?: KeyObject;
}
