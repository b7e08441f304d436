import type { EvidenceExportRecord } from '@nhi-governance/plugin-nhi-common';

/** A past evidence export and the file name the download gets. */
export const evidenceExport: EvidenceExportRecord = {
  seq: 4812,
  exportedAt: '2026-10-02T09:15:00Z',
  exportedBy: 'user:default/sam',
  period: { from: '2026-04-01', to: '2026-06-30' },
  campaign: 'c-open',
  packageHash:
    '9f2c4e7a1b3d5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef',
  ledgerHead: { seq: 4811, hash: 'ab'.repeat(32) },
  files: [
    { name: 'inventory.csv', sha256: '11'.repeat(32), rows: 1200 },
    { name: 'manifest.json', sha256: '22'.repeat(32) },
  ],
};

export const evidenceFilename = 'nhi-evidence-2026-04-01-2026-06-30.zip';
