import type http from 'http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  AUTH_PATTERN,
  NodeSha256,
  PAYLOAD_HASH_MISMATCH,
  header,
  payloadHashMatches,
  signatureMatches,
} from './sigv4';

/** An error S3 answers with: its HTTP status, `<Code>` and `<Message>`. */
export class S3Error extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface S3Key {
  accessKeyId: string;
  secretAccessKey: string;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/**
 * Checks an S3 request's SigV4 signature as S3 does: the key must be known, the payload hash
 * (`x-amz-content-sha256`, UNSIGNED-PAYLOAD or the body's SHA-256) is required and must
 * match, and the signature is computed again from the signed headers with the key's secret.
 * S3 signs the path as sent, without the second URI-encoding other services apply.
 * Returns the access key id that signed; throws an S3Error as S3 answers.
 */
export async function checkS3Signature(
  req: http.IncomingMessage,
  body: Buffer,
  keyOf: (accessKeyId: string) => S3Key | undefined,
): Promise<string> {
  const authorization = header(req, 'authorization');
  if (!authorization) throw new S3Error(403, 'AccessDenied', 'Access Denied');
  const match = AUTH_PATTERN.exec(authorization);
  if (!match) {
    throw new S3Error(
      400,
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed.',
    );
  }
  const [, accessKeyId, , region, service, signedHeaderList, signature] = match;
  const key = keyOf(accessKeyId);
  if (!key) {
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  const payloadHash = header(req, 'x-amz-content-sha256');
  if (!payloadHash) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  }
  if (!payloadHashMatches(payloadHash, body)) {
    throw new S3Error(400, 'XAmzContentSHA256Mismatch', PAYLOAD_HASH_MISMATCH);
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
    header(req, 'x-amz-date') ?? '',
  );
  if (!date) throw new S3Error(403, 'AccessDenied', 'Access Denied');
  const [, y, mo, d, h, mi, s] = date;

  const signedHeaders = signedHeaderList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(req, name);
    if (value === undefined) {
      throw new S3Error(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
    }
    headers[name] = value;
  }
  const [path, search = ''] = (req.url ?? '/').split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prior = query[k];
    query[k] =
      prior === undefined
        ? v
        : [...(Array.isArray(prior) ? prior : [prior]), v];
  }
  const signer = new SignatureV4({
    credentials: key,
    region,
    service,
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: '',
      path,
      query,
      headers,
      body,
    },
    {
      signingDate: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`),
      signableHeaders: new Set(signedHeaders),
    },
  );
  if (
    !signatureMatches(signed.headers.authorization, signedHeaderList, signature)
  ) {
    throw new S3Error(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
  }
  return accessKeyId;
}
