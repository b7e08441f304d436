/** An audit period: whole UTC days, both ends included (YYYY-MM-DD). */
export type EvidencePeriod = {
  from: string;
  to: string;
};

/** One evidence package that was exported, as the ledger recorded it. */
export type EvidenceExportRecord = {
  /** The ledger entry (`evidence.exported`) that records the export. */
  seq: number;
  exportedAt: string;
  exportedBy: string;
  period: EvidencePeriod;
  /** The campaign the period was taken from, when the export named one. */
  campaign?: string;
  /** SHA-256 over the manifest's file list: what `nhi-evidence verify` recomputes. */
  packageHash: string;
  ledgerHead: { seq: number; hash: string };
  files: Array<{ name: string; sha256: string; rows?: number }>;
};

/** `GET /evidence/exports`: newest first. */
export type EvidenceExportsResponse = {
  items: EvidenceExportRecord[];
};
