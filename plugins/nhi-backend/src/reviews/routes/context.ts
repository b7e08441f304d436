import type {
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { Request } from 'express';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { parseInput } from '../../http/validate';
import type { IdentityReadAuthorizer } from '../../permissions/authorizeIdentityRead';
import { actorOf } from '../actor';
import type { ReviewServices } from '..';

export interface ReviewRouteOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  reviews: ReviewServices;
  identityRead: Pick<
    IdentityReadAuthorizer,
    'allowedFor' | 'visibleTo' | 'holdsAny'
  >;
  /** Whether the caller holds a basic permission. */
  holds(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
}

type AnyRequest = Request<any, any, any, any>;

/** What every review route needs: the clock, the caller as a person, and their permissions. */
export function reviewRouteContext(options: ReviewRouteOptions) {
  const { httpAuth, userInfo, holds } = options;

  /** The signed-in person, refused (403) for a machine principal. */
  const person = async (req: AnyRequest) => {
    const credentials = await httpAuth.credentials(req);
    return { credentials, actor: await actorOf(credentials, userInfo) };
  };

  return {
    ...options,
    now: () => DateTime.utc(),
    person,
    /** The signed-in person, who must hold the permission (403 naming it otherwise). */
    async require(req: AnyRequest, permission: BasicPermission) {
      const found = await person(req);
      if (!(await holds(found.credentials, permission))) {
        throw new NotAllowedError(`Missing permission ${permission.name}`);
      }
      return found;
    },
  };
}

export type ReviewRouteContext = ReturnType<typeof reviewRouteContext>;

/** A body, parsed; the edge (screenRequests) has screened its text and scanned it for secrets. */
export function parseBody<T extends z.ZodType>(
  schema: T,
  body: unknown,
): z.output<T> {
  return parseInput(schema, body ?? {}, 'body');
}
