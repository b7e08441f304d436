/** Codes with which AWS refuses the credentials themselves, not the call. */
const REFUSED_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AuthFailure',
  // S3 names them its own way.
  'InvalidAccessKeyId',
  'InvalidToken',
]);

/** Whether AWS refused the credentials themselves: every other call made with them fails too. */
export function isRefusedCredentials(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name !== undefined && REFUSED_CREDENTIALS.has(name);
}

/**
 * An AWS error as the Discovery tab shows it: the code and AWS's message, and for refused
 * credentials what to do about them. Never the credentials.
 */
export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const message = e.message ?? String(error);
  const said =
    !e.name || e.name === 'Error' ? message : `${e.name}: ${message}`;
  if (isRefusedCredentials(error)) {
    return `AWS refused the credentials (${said}); they may have been revoked, rotated or have expired: check the aws integration config`;
  }
  return said;
}
