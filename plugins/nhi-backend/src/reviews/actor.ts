import type {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/** A signed-in person acting on reviews: their user ref and the groups they act for. */
export interface Actor {
  userRef: string;
  /** The user ref and the groups they belong to (ownership claims). */
  claims: string[];
}

/**
 * The person behind a request. A machine principal (a backend service, an external access
 * token) never attests, decides or approves: an auditor asks which person did.
 */
export async function actorOf(
  credentials: BackstageCredentials,
  userInfo: UserInfoService,
): Promise<Actor> {
  const { principal } = credentials as BackstageCredentials<any>;
  if (principal?.type !== 'user') {
    throw new NotAllowedError(
      'A machine principal never attests or approves: sign in as a person',
    );
  }
  const info = await userInfo.getUserInfo(credentials);
  return { userRef: info.userEntityRef, claims: info.ownershipEntityRefs };
}

/** Whether the actor acts for any of these groups or users. */
export const actsFor = (actor: Actor, refs: Array<string | undefined>) =>
  refs.some(ref => ref !== undefined && actor.claims.includes(ref));
