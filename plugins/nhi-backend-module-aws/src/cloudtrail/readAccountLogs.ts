import {
  paginateListObjectsV2,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  ConnectorReadOptions,
  ObjectUsageObservation,
} from '@nhi-governance/plugin-nhi-node';
import { dayFolders, isLogObject } from './logLayout';
import { LogReadError } from './readFailure';
import { BrokenLogObjectError, readLogObject } from './readLogObject';
import type { AwsCloudTrailS3Settings } from './settings';

export interface AccountLogsOptions {
  s3: S3Client;
  settings: AwsCloudTrailS3Settings;
  read: Pick<
    ConnectorReadOptions,
    'logObjects' | 'parseAs' | 'signal' | 'warn'
  >;
  now: Date;
}

/**
 * The records of one account's log objects that no earlier run counted in full, object by
 * object in key order, each object's records together. A failure of S3 is thrown as a
 * LogReadError naming the folder or object; the objects before it were read whole.
 */
export async function* readAccountLogs(
  account: string,
  options: AccountLogsOptions,
): AsyncGenerator<ObjectUsageObservation> {
  for (const folder of dayFolders(options.settings, account, options.now)) {
    yield* readFolder(folder, options);
  }
}

async function* readFolder(
  folder: string,
  { s3, settings, read }: AccountLogsOptions,
): AsyncGenerator<ObjectUsageObservation> {
  const { bucket } = settings;
  // Objects are never appended to, so those up to the last one counted need no listing.
  const startAfter = await read.logObjects.lastComplete(folder);
  const pages = paginateListObjectsV2(
    { client: s3 },
    {
      Bucket: bucket,
      Prefix: folder,
      ...(startAfter ? { StartAfter: startAfter } : {}),
    },
    { abortSignal: read.signal },
  )[Symbol.asyncIterator]();
  for (;;) {
    let page: IteratorResult<ListObjectsV2CommandOutput>;
    try {
      // A page at a time, read before the next is asked for: a day holds thousands.
      page = await pages.next();
    } catch (e) {
      throw new LogReadError(`s3://${bucket}/${folder} could not be listed`, e);
    }
    if (page.done) return;
    for (const { Key } of page.value.Contents ?? []) {
      if (!Key || !isLogObject(Key)) continue;
      if (await read.logObjects.isComplete(Key)) continue;
      try {
        yield* readLogObject(s3, bucket, Key, read);
      } catch (e) {
        if (!(e instanceof BrokenLogObjectError)) {
          if (read.signal.aborted) throw e;
          throw new LogReadError(`s3://${bucket}/${Key} could not be read`, e);
        }
        // Reading it again would give the same: it is done, with a warning.
        read.warn({
          location: `s3://${bucket}/${Key}`,
          field: 'object',
          reason: e.message,
        });
      }
      read.logObjects.done(Key);
    }
  }
}
