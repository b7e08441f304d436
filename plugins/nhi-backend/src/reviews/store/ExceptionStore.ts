import type {
  ExceptionRequest,
  ExceptionStatus,
} from '@nhi-governance/plugin-nhi-common';

export type StoredException = ExceptionRequest & { expiryNoticedAt?: string };

export interface ExceptionRow {
  id: string;
  identity_ref: string;
  finding: string;
  justification: string;
  compensating_controls: string;
  expires_at: string;
  requested_by: string;
  requested_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  expiry_noticed_at: string | null;
}

export interface ExceptionStore {
  insertException(e: ExceptionRequest): Promise<void>;

  readException(
    id: string,
    lock?: boolean,
  ): Promise<StoredException | undefined>;

  listExceptions(filter: {
    status?: ExceptionStatus[];
    identity?: string;
    requestedBy?: string;
    /** Approved ones expiring before this time. */
    expiringBefore?: string;
  }): Promise<StoredException[]>;

  updateException(
    id: string,
    changes: Partial<
      Pick<
        ExceptionRow,
        | 'status'
        | 'decided_by'
        | 'decided_at'
        | 'decision_reason'
        | 'expiry_noticed_at'
      >
    >,
  ): Promise<void>;
}
