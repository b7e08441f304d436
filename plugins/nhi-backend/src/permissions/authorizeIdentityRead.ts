import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  IdentityView,
  NHI_IDENTITY_RESOURCE_TYPE,
  nhiIdentityReadPermission,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityQuery } from './identityResource';

/** A permission on machine identities, decided per identity. */
export type IdentityPermission = ResourcePermission<
  typeof NHI_IDENTITY_RESOURCE_TYPE
>;

/**
 * Decides what a caller may read of the identities: everything, nothing (403), or what a
 * condition allows, as a WHERE clause for lists and as a check for one identity.
 */
export class IdentityReadAuthorizer {
  private readonly toQuery;
  private readonly isAllowed;

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<IdentityView, IdentityQuery>,
  ) {
    this.toQuery = createConditionTransformer(ruleset);
    this.isAllowed = createConditionAuthorizer(ruleset);
  }

  /**
   * What the caller may see, as the criteria to filter a list by; undefined when they may see
   * everything. A caller who may read no identity at all gets a 403 naming the permission.
   */
  async visibleTo(
    credentials: BackstageCredentials,
    permission: IdentityPermission = nhiIdentityReadPermission,
  ): Promise<PermissionCriteria<IdentityQuery> | undefined> {
    const decision = await this.decide(credentials, permission);
    return decision.result === AuthorizeResult.CONDITIONAL
      ? this.toQuery(decision.conditions)
      : undefined;
  }

  /**
   * Which single identities the caller may read, checked in memory with the same rules the
   * lists apply in SQL. Decided before any identity is looked up, so that a caller who may
   * read none gets the same 403 whether or not the identity exists; the caller answers an
   * identity this refuses exactly as one that does not exist.
   */
  async readableBy(
    credentials: BackstageCredentials,
  ): Promise<(identity: IdentityView) => boolean> {
    return this.allowedFor(credentials, nhiIdentityReadPermission);
  }

  /**
   * The same for any permission on identities, such as deciding on a review item: the caller
   * passes the identity as the decision sees it (for a review item, owned by its assignee).
   */
  async allowedFor(
    credentials: BackstageCredentials,
    permission: IdentityPermission,
  ): Promise<(identity: IdentityView) => boolean> {
    const decision = await this.decide(credentials, permission);
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return identity => this.isAllowed(decision, identity);
    }
    return () => true;
  }

  /** Whether the caller holds the permission for some identities at least. */
  async holdsAny(
    credentials: BackstageCredentials,
    permission: IdentityPermission,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision.result !== AuthorizeResult.DENY;
  }

  /** ALLOW or CONDITIONAL; DENY is a 403. */
  private async decide(
    credentials: BackstageCredentials,
    permission: IdentityPermission,
  ) {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
    return decision;
  }
}
