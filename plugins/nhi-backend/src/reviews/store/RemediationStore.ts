import type { Remediation } from '@nhi-governance/plugin-nhi-common';

export interface RemediationStore {
  insertRemediation(r: Remediation): Promise<void>;

  /** Open remediation of one item: a changed decision withdraws it. */
  withdrawRemediations(itemId: string, at: string): Promise<Remediation[]>;

  readRemediations(filter: {
    itemIds?: string[];
    open?: boolean;
  }): Promise<Remediation[]>;

  closeRemediation(id: string, at: string, closedBy: string): Promise<void>;
}
