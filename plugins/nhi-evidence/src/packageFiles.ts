import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';

export const MANIFEST = EVIDENCE_FILES.manifest.name;
export const LEDGER = EVIDENCE_FILES.ledger.name;
export const IDENTITIES = EVIDENCE_FILES.ledgerIdentities.name;

/** The files every package of this format holds. */
export const REQUIRED = Object.values(EVIDENCE_FILES)
  .filter(f => f.required)
  .map(f => f.name);
