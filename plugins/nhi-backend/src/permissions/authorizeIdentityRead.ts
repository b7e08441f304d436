import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  IdentityView,
  nhiIdentityReadPermission,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityQuery } from './identityResource';

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

  /** undefined: no restriction; otherwise the criteria to filter by. */
  async visibleTo(
    credentials: BackstageCredentials,
  ): Promise<PermissionCriteria<IdentityQuery> | undefined> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: nhiIdentityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Missing permission ${nhiIdentityReadPermission.name}`,
      );
    }
    return decision.result === AuthorizeResult.CONDITIONAL
      ? this.toQuery(decision.conditions)
      : undefined;
  }

  async assertCanRead(
    credentials: BackstageCredentials,
    identity: IdentityView,
  ): Promise<void> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: nhiIdentityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return;
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      this.isAllowed(decision, identity)
    ) {
      return;
    }
    throw new NotAllowedError(
      `Missing permission ${nhiIdentityReadPermission.name} for ${identity.ref}`,
    );
  }
}
