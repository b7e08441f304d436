import { createHash } from 'crypto';
import { S3Error } from './s3Signature';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const xmlEscape = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const el = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlEscape(String(value))}</${name}>`;

// S3 lists keys in the binary order of their UTF-8 bytes.
const byteOrder = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

// Opaque to the client, as S3's are; it names the last entry a page returned.
const encodeToken = (last: string) =>
  Buffer.from(`after:${last}`).toString('base64');

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('after:')) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'The continuation token provided is incorrect',
    );
  }
  return text.slice('after:'.length);
}

type Entry = { key: string } | { commonPrefix: string };

/**
 * ListObjectsV2's ListBucketResult, as the S3 API Reference documents it: keys under
 * `prefix` after `start-after` (or after the continuation token, which then wins), rolled up
 * into CommonPrefixes at `delimiter`, at most `pageSize` entries a page whatever max-keys asks.
 */
export function listObjectsV2(
  bucket: string,
  objects: Map<string, { body: Buffer; lastModified: Date }>,
  params: Record<string, string>,
  pageSize: number,
): string {
  const prefix = params.prefix ?? '';
  const delimiter = params.delimiter || undefined;
  const maxKeys =
    params['max-keys'] === undefined ? 1000 : Number(params['max-keys']);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'Provided max-keys not an integer or within integer range',
    );
  }
  if (
    params['encoding-type'] !== undefined &&
    params['encoding-type'] !== 'url'
  ) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'Invalid Encoding Method specified in Request',
    );
  }
  const encode = (v: string) =>
    params['encoding-type'] === 'url' ? encodeURIComponent(v) : v;
  const token = params['continuation-token'];
  const after =
    token !== undefined ? decodeToken(token) : params['start-after'] ?? '';

  const entries: Entry[] = [];
  let truncated = false;
  for (const key of [...objects.keys()].sort(byteOrder)) {
    if (!key.startsWith(prefix) || byteOrder(key, after) <= 0) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const entry: Entry =
      cut >= 0
        ? { commonPrefix: key.slice(0, cut + delimiter!.length) }
        : { key };
    if ('commonPrefix' in entry) {
      // Every key of a common prefix a page returned is behind it.
      if (after.startsWith(entry.commonPrefix)) continue;
      const last = entries[entries.length - 1];
      if (
        last &&
        'commonPrefix' in last &&
        last.commonPrefix === entry.commonPrefix
      ) {
        continue;
      }
    }
    if (entries.length === Math.min(maxKeys, pageSize)) {
      truncated = true;
      break;
    }
    entries.push(entry);
  }
  const last = entries[entries.length - 1];
  const contents = entries.flatMap(e => {
    if (!('key' in e)) return [];
    const object = objects.get(e.key)!;
    return [
      `<Contents>${el('Key', encode(e.key))}${el(
        'LastModified',
        object.lastModified.toISOString(),
      )}${el(
        'ETag',
        `"${createHash('md5').update(object.body).digest('hex')}"`,
      )}${el('Size', object.body.length)}${el(
        'StorageClass',
        'STANDARD',
      )}</Contents>`,
    ];
  });
  const commonPrefixes = entries.flatMap(e =>
    'commonPrefix' in e
      ? [
          `<CommonPrefixes>${el(
            'Prefix',
            encode(e.commonPrefix),
          )}</CommonPrefixes>`,
        ]
      : [],
  );
  return [
    `<ListBucketResult xmlns="${NS}">`,
    el('Name', bucket),
    el('Prefix', encode(prefix)),
    delimiter ? el('Delimiter', encode(delimiter)) : '',
    params['start-after'] !== undefined
      ? el('StartAfter', encode(params['start-after']))
      : '',
    token !== undefined ? el('ContinuationToken', token) : '',
    el('KeyCount', entries.length),
    el('MaxKeys', maxKeys),
    params['encoding-type'] ? el('EncodingType', 'url') : '',
    el('IsTruncated', truncated),
    truncated && last
      ? el(
          'NextContinuationToken',
          encodeToken('key' in last ? last.key : last.commonPrefix),
        )
      : '',
    ...contents,
    ...commonPrefixes,
    '</ListBucketResult>',
  ].join('');
}
