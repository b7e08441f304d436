import type http from 'http';
import type { AddressInfo } from 'net';
import {
  createHash,
  createHmac,
  timingSafeEqual,
  type Hash,
  type Hmac,
} from 'crypto';

/** Shared pieces of the local AWS fakes (fakeAws, fakeS3): SigV4 checking and serving. */

type Data = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Data): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) {
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
  return Buffer.from(data);
}

/** SHA-256 (HMAC-SHA-256 with a secret) in the shape SignatureV4 wants, on node crypto. */
export class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: Data) {
    this.hash = this.fresh();
  }

  update(data: Data) {
    this.hash.update(toBuffer(data));
  }

  async digest() {
    return new Uint8Array(this.hash.digest());
  }

  reset() {
    this.hash = this.fresh();
  }

  private fresh() {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', toBuffer(this.secret));
  }
}

/** A SigV4 Authorization header: key id, date, region, service, signed headers, signature. */
export const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;

/** A request header's value, repeated values joined by commas. */
export function header(
  req: http.IncomingMessage,
  name: string,
): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Whether the Authorization header the fake computed again (`recomputed`) signs the same headers
 * with the same signature as the one the request sent.
 */
export function signatureMatches(
  recomputed: string | undefined,
  signedHeaderList: string,
  signature: string,
): boolean {
  const expected = AUTH_PATTERN.exec(recomputed ?? '');
  return (
    !!expected &&
    expected[5] === signedHeaderList &&
    timingSafeEqual(Buffer.from(expected[6]), Buffer.from(signature))
  );
}

/** What AWS answers when `x-amz-content-sha256` is not the body's hash. */
export const PAYLOAD_HASH_MISMATCH =
  "The provided 'x-amz-content-sha256' header does not match what was computed.";

/** Whether an `x-amz-content-sha256` value is UNSIGNED-PAYLOAD or the body's SHA-256. */
export function payloadHashMatches(payloadHash: string, body: Buffer): boolean {
  return (
    payloadHash === 'UNSIGNED-PAYLOAD' ||
    payloadHash === createHash('sha256').update(body).digest('hex')
  );
}

/** Starts `server` on a free port of 127.0.0.1 and returns its endpoint URL. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
