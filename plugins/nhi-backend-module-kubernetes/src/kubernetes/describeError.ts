import { apiStatusOf, statusOf } from './apiStatus';

/** The call that failed, as RBAC names it (`list` `serviceaccounts`), and how often it was tried. */
export interface KubernetesCall {
  verb: string;
  resource: string;
  attempts: number;
}

/** The Status message the API server answered with, if any, cut to a readable length. */
const statusMessage = (error: unknown) =>
  apiStatusOf(error)?.message?.slice(0, 400);

// The authorizer's words, e.g. `secrets is forbidden: User "system:serviceaccount:backstage:nhi"
// cannot list resource "secrets" in API group "" at the cluster scope`.
const FORBIDDEN =
  /cannot (\S+) resource "([^"]*)" in API group "([^"]*)"( at the cluster scope| in the namespace "[^"]*")?/;

function describeForbidden(said: string | undefined, call: KubernetesCall) {
  const match = said ? FORBIDDEN.exec(said) : null;
  const verb = match?.[1] ?? call.verb;
  const resource = match?.[2] ?? call.resource;
  const group = match?.[3] ? ` in API group ${match[3]}` : '';
  const where = match?.[4]?.trim() ?? 'at the cluster scope';
  return `RBAC does not allow ${verb} on ${resource}${group} ${where} (403 Forbidden${
    said ? `: ${said}` : ''
  }); bind a ClusterRole granting get and list on serviceaccounts and secrets to the service account the token belongs to`;
}

/**
 * A failed call as the Discovery tab shows it: what the cluster answered, and for refused
 * credentials or missing permissions what to do about them. Never the token: client-node's own
 * message quotes the whole answer and its headers, so it is not used for API answers.
 */
export function describeKubernetesError(
  error: unknown,
  call: KubernetesCall,
): string {
  const status = statusOf(error);
  if (status === undefined) {
    return `could not ${call.verb} ${call.resource}: ${
      (error as Error)?.message ?? String(error)
    }`;
  }
  const said = statusMessage(error);
  const quoted = said ? `: ${said}` : '';
  if (status === 401) {
    return 'the cluster refused the credentials (401 Unauthorized); the service account token may have been revoked or expired: check kubernetes.clusterLocatorMethods';
  }
  if (status === 403) return describeForbidden(said, call);
  if (status === 429 || status >= 500) {
    return `the cluster answered ${status} to ${call.verb} ${call.resource}, ${call.attempts} tries in all${quoted}`;
  }
  return `the cluster answered ${status} to ${call.verb} ${call.resource}${quoted}`;
}
