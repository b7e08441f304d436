import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { IdentityQuery } from '../../permissions/identityResource';
import type {
  ApprovalQueueItem,
  ApprovalRecord,
} from '@nhi-governance/plugin-nhi-common';

export interface ApprovalStore {
  insertApproval(id: string, a: ApprovalRecord): Promise<void>;

  readApprovals(identity: string): Promise<ApprovalRecord[]>;

  /**
   * Present identities with no approval: none in their spec and none from the queue. Those that
   * security sent back stay in the queue, marked, until approved.
   */
  readApprovalQueue(
    page: { limit: number; offset: number },
    approvable?: PermissionCriteria<IdentityQuery>,
  ): Promise<{ items: ApprovalQueueItem[]; totalItems: number }>;
}
