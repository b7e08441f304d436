import type {
  FindingCode,
  IdentityView,
  ReviewDecisionKind,
} from '@nhi-governance/plugin-nhi-common';

/** One decision as asked for. */
export interface DecisionInput {
  itemId: string;
  decision: ReviewDecisionKind;
  justification: string;
  scopesToRemove?: string[];
  reassignTo?: string;
  acknowledgements?: Partial<Record<FindingCode, string>>;
}

/** What the caller may do, decided by the permission framework before the service runs. */
export interface DecisionAuthority {
  /** Whether the permission policy lets the actor decide for this identity as the item assigns it. */
  mayDecide(identity: IdentityView): boolean;
  /** Security: may decide escalated items of any group. */
  isSecurity: boolean;
  /** Holds nhi.admin.read: may know of every item (others, of their own groups' items). */
  seesEveryItem: boolean;
}
