import http from 'http';
import { createHash, randomUUID } from 'crypto';
import { checkS3Signature, S3Error, type S3Key } from './s3Signature';
import { listObjectsV2 } from './s3Listing';
import { listenOnLoopback } from './sigv4';

/**
 * A local stand-in for one S3 bucket, for the real @aws-sdk/client-s3 over real HTTP
 * (path-style: `endpoint` and `forcePathStyle: true`). It answers ListObjectsV2 and GetObject
 * in the shapes the S3 API Reference documents, checks every request's SigV4 signature with
 * the secret of the key that signed it, and answers S3's XML errors.
 *
 * ListObjectsV2 returns at most `pageSize` (default 2) keys a page, whatever max-keys asks:
 * S3 documents that a page may hold fewer, so a reader that stops at the first is wrong.
 */
export interface FakeS3Options {
  bucket: string;
  keys: S3Key[];
  pageSize?: number;
}

export type S3Operation = 'ListObjectsV2' | 'GetObject' | 'Other';

export interface S3Request {
  operation: S3Operation;
  /** GetObject's key */
  key?: string;
  /** ListObjectsV2's query: prefix, start-after, continuation-token, delimiter, max-keys. */
  params: Record<string, string>;
  status: number;
  /** '' when unsigned */
  accessKeyId: string;
}

export interface FakeS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** Every request, in order. */
  requests: S3Request[];
  put(key: string, body: Buffer): void;
  /** The next `times` requests of `operation` answer 503 SlowDown. */
  throttle(operation: S3Operation, times: number): void;
  /** Lists of this prefix (or within it) and reads of objects under it answer 403 AccessDenied. */
  deny(prefix: string): void;
  /** Requests signed with this key answer 403 InvalidAccessKeyId, as after it was deleted. */
  revokeKey(accessKeyId: string): void;
  /** The next GetObject of this key sends half its body, then drops the connection. */
  dropConnection(key: string): void;
  close(): Promise<void>;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

const errorXml = (e: S3Error, resource: string) =>
  `${XML_HEAD}<Error><Code>${e.code}</Code><Message>${
    e.message
  }</Message><Resource>${resource}</Resource><RequestId>${randomUUID()}</RequestId></Error>`;

/** Starts the fake on 127.0.0.1 at a free port. Close it with `close()`. */
export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const objects = new Map<string, { body: Buffer; lastModified: Date }>();
  const keys = new Map(options.keys.map(k => [k.accessKeyId, k]));
  const requests: S3Request[] = [];
  const throttles = new Map<S3Operation, number>();
  const denied: string[] = [];
  const revoked = new Set<string>();
  const drops = new Set<string>();

  const isDenied = (keyOrPrefix: string) =>
    denied.some(p => keyOrPrefix.startsWith(p));

  function route(req: http.IncomingMessage) {
    const [path, search = ''] = (req.url ?? '/').split('?');
    const [, bucket, ...rest] = path.split('/');
    const params = Object.fromEntries(new URLSearchParams(search));
    const key = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
    let operation: S3Operation = 'Other';
    if (req.method === 'GET' && key) operation = 'GetObject';
    else if (req.method === 'GET' && params['list-type'] === '2') {
      operation = 'ListObjectsV2';
    }
    return { bucket: decodeURIComponent(bucket), key, params, operation };
  }

  async function handle(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ) {
    const { bucket, key, params, operation } = route(req);
    const record: S3Request = {
      operation,
      ...(key ? { key } : {}),
      params: operation === 'ListObjectsV2' ? params : {},
      status: 0,
      accessKeyId: '',
    };
    requests.push(record);
    const answer = (
      status: number,
      headers: object,
      content: Buffer | string,
    ) => {
      record.status = status;
      res.writeHead(status, {
        'x-amz-request-id': randomUUID(),
        'content-length': Buffer.byteLength(content),
        ...headers,
      });
      res.end(content);
    };
    try {
      record.accessKeyId = await checkS3Signature(req, body, id =>
        revoked.has(id) ? undefined : keys.get(id),
      );
      const throttled = throttles.get(operation) ?? 0;
      if (throttled > 0) {
        throttles.set(operation, throttled - 1);
        throw new S3Error(503, 'SlowDown', 'Please reduce your request rate.');
      }
      if (bucket !== options.bucket) {
        throw new S3Error(
          404,
          'NoSuchBucket',
          'The specified bucket does not exist',
        );
      }
      if (operation === 'ListObjectsV2') {
        if (isDenied(params.prefix ?? '')) {
          throw new S3Error(403, 'AccessDenied', 'Access Denied');
        }
        const xml = listObjectsV2(
          bucket,
          objects,
          params,
          options.pageSize ?? 2,
        );
        answer(200, { 'content-type': 'application/xml' }, XML_HEAD + xml);
      } else if (operation === 'GetObject') {
        if (isDenied(key!))
          throw new S3Error(403, 'AccessDenied', 'Access Denied');
        const object = objects.get(key!);
        if (!object) {
          throw new S3Error(
            404,
            'NoSuchKey',
            'The specified key does not exist.',
          );
        }
        const headers = {
          // As CloudTrail stores its objects; S3 serves the gzipped bytes as they are.
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'last-modified': object.lastModified.toUTCString(),
          etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
        };
        if (drops.delete(key!)) {
          record.status = 200;
          res.writeHead(200, {
            ...headers,
            'content-length': object.body.length,
          });
          // The client reads the half before the connection goes: a reset at once could
          // discard what it had not yet read.
          res.write(object.body.subarray(0, object.body.length >> 1), () =>
            setTimeout(() => res.destroy(), 50),
          );
          return;
        }
        answer(200, headers, object.body);
      } else {
        throw new S3Error(
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
        );
      }
    } catch (e) {
      const error =
        e instanceof S3Error ? e : new S3Error(500, 'InternalError', String(e));
      answer(
        error.status,
        { 'content-type': 'application/xml' },
        errorXml(error, req.url ?? '/'),
      );
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res).catch(() => res.destroy());
    });
  });
  const endpoint = await listenOnLoopback(server);

  return {
    endpoint,
    requests,
    put(key, body) {
      objects.set(key, { body, lastModified: new Date() });
    },
    throttle(operation, times) {
      throttles.set(operation, (throttles.get(operation) ?? 0) + times);
    },
    deny(prefix) {
      denied.push(prefix);
    },
    revokeKey(accessKeyId) {
      revoked.add(accessKeyId);
    },
    dropConnection(key) {
      drops.add(key);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
