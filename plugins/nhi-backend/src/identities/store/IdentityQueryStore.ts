import type {
  IdentitySortField,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { IdentityQuery } from '../../permissions/identityResource';

/** Each filter matches any of its values; filters combine with AND. */
export interface IdentityFilter {
  owner?: string[];
  system?: string[];
  /** Entities that use the identity (usedBy), e.g. a component. */
  usedBy?: string[];
  type?: string[];
  environment?: string[];
  rotation?: string[];
  usage?: string[];
  /** Review (recertification) statuses. */
  review?: string[];
  /** Compliant: no open finding of medium severity or above. Not yet computed matches neither. */
  compliant?: boolean;
  /** Open finding codes. */
  finding?: string[];
  /** Identities that left their source are hidden unless asked for. */
  includeRemoved?: boolean;
}

export interface IdentityPage {
  sort: IdentitySortField;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface IdentityQueryStore {
  /**
   * One page of identities and the total that match, sorted in the database. `visible` is what
   * the caller may see (a conditional permission decision), applied in the same query.
   */
  listIdentities(
    filter: IdentityFilter,
    page: IdentityPage,
    visible?: PermissionCriteria<IdentityQuery>,
  ): Promise<{ items: IdentityView[]; totalItems: number }>;

  /** Every identity that matches, a page at a time in ref order, without an offset. */
  streamIdentities(
    filter: IdentityFilter,
    pageSize?: number,
  ): AsyncGenerator<IdentityView[]>;
}
