import type { UsageObservation } from '@nhi-governance/plugin-nhi-common';

/**
 * CloudTrail error codes that mean the caller could not authenticate. Any other error
 * (AccessDenied, throttling) came after the credential was accepted: still a use of it.
 */
const AWS_AUTHENTICATION_ERRORS = new Set([
  'AuthFailure',
  'ExpiredToken',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'SignatureDoesNotMatch',
]);

/** Whether a failed record is a failed authentication, rather than a use that was refused. */
export function isAuthenticationFailure(o: UsageObservation): boolean {
  if (!o.failed) return false;
  if (o.provider === 'vault') return (o.action ?? '').startsWith('auth/');
  return (
    AWS_AUTHENTICATION_ERRORS.has(o.errorCode ?? '') ||
    // A console sign-in that failed says so without an error code.
    o.errorCode === undefined
  );
}
