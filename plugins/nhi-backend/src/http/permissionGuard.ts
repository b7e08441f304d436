import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';

/** The basic-permission checks every feature's routes share. */
export interface PermissionGuard {
  /** Whether the caller holds a basic permission. */
  holds(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
  /** The caller's credentials, or a 403 naming the permission they lack. */
  requirePermission(
    req: Request<any, any, any, any>,
    permission: BasicPermission,
    allow?: Array<'service' | 'user'>,
  ): Promise<BackstageCredentials>;
}

export function createPermissionGuard(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): PermissionGuard {
  const holds = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  };
  return {
    holds,
    async requirePermission(req, permission, allow) {
      const credentials = await httpAuth.credentials(
        req,
        allow ? { allow } : undefined,
      );
      if (!(await holds(credentials, permission))) {
        throw new NotAllowedError(`Missing permission ${permission.name}`);
      }
      return credentials;
    },
  };
}
