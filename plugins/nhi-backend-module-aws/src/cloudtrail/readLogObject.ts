import { pipeline, type Readable } from 'stream';
import { createGunzip } from 'zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type {
  ConnectorReadOptions,
  ObjectUsageObservation,
} from '@nhi-governance/plugin-nhi-node';

/** The built-in file format a delivered log object is, once gunzipped. */
const CLOUDTRAIL = 'aws-cloudtrail';

/**
 * An object that arrived whole but is not a gzipped CloudTrail log. Reading it again would
 * give the same, so it is reported and passed over rather than failing its account forever.
 */
export class BrokenLogObjectError extends Error {
  constructor(readonly key: string, cause: unknown) {
    super(
      `not a gzipped CloudTrail log: ${
        (cause as Error | undefined)?.message ?? String(cause)
      }`,
    );
    this.name = 'BrokenLogObjectError';
  }
}

/**
 * One log object's records, each with `object: key`, streamed from S3 through gunzip into
 * the CloudTrail parser so that only a little of the object is in memory at once, however
 * large it is. A failure of S3, or a download that broke off, is thrown as an error (the
 * object was not read to its end, and is read again on a later run); a body that cannot be
 * gunzipped or parsed is a BrokenLogObjectError.
 */
export async function* readLogObject(
  s3: S3Client,
  bucket: string,
  key: string,
  read: Pick<ConnectorReadOptions, 'parseAs' | 'signal'>,
): AsyncGenerator<ObjectUsageObservation> {
  const { Body } = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
    { abortSignal: read.signal },
  );
  if (!Body) throw new Error('GetObject returned no body');
  const body = Body as Readable;
  const gunzip = createGunzip();
  // Which side failed first tells a dropped connection from a broken object: pipeline
  // passes the body's error on to gunzip, where the parser sees it.
  let transportError: unknown;
  body.once('error', e => {
    transportError ??= e;
  });
  pipeline(body, gunzip, () => {
    // Its error reaches the parser through gunzip.
  });
  try {
    for await (const observation of read.parseAs('usage', CLOUDTRAIL, gunzip)) {
      yield { ...observation, object: key };
    }
  } catch (e) {
    if (read.signal.aborted) throw e;
    if (transportError !== undefined) {
      throw new Error(
        `the download broke off before the object's end (${
          (transportError as Error).message
        })`,
      );
    }
    throw new BrokenLogObjectError(key, e);
  } finally {
    // Frees the connection when the reader stops early or the object failed.
    body.destroy();
    gunzip.destroy();
  }
}
