import { z } from 'zod';
import type { UsageObservation } from '@nhi-governance/plugin-nhi-common';
import { streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { optionalText, readTimestamp, timestamp } from './values';

const SOURCE = 'aws-cloudtrail';

/**
 * The fields of a CloudTrail record that say who did what, from where, and whether it worked.
 * A record means nothing without its time; anything else unreadable is unknown.
 */
export const recordSchema = z.object({
  eventID: optionalText(),
  eventTime: timestamp(),
  eventSource: z.string({ error: 'must be the service endpoint' }).optional(),
  eventName: z.string({ error: 'must be the API action' }).optional(),
  awsRegion: optionalText(),
  sourceIPAddress: optionalText(),
  userAgent: optionalText(),
  errorCode: optionalText(),
  userIdentity: z
    .object(
      {
        arn: optionalText(),
        accessKeyId: optionalText(),
      },
      { error: 'must be an object' },
    )
    .optional(),
  // Free-form per API; only a console sign-in's outcome is read from it.
  responseElements: z.unknown(),
});

type CloudTrailRecord = z.infer<typeof recordSchema>;

const TEXT_FIELDS = [
  'eventID',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
] as const;

const isTextOrAbsent = (v: unknown) =>
  v === undefined || v === null || typeof v === 'string';

/**
 * The record read as recordSchema would read it, without zod, when every field is as the
 * schema wants it; undefined otherwise, and the schema then reads it and names what is odd.
 * Most records of a log are plain, and validating each one through zod halves the rate.
 */
export function readPlainRecord(item: unknown): CloudTrailRecord | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const r = item as Record<string, unknown>;
  if (typeof r.eventTime !== 'string') return undefined;
  const eventTime = readTimestamp(r.eventTime);
  if (!eventTime) return undefined;
  if (!TEXT_FIELDS.every(f => isTextOrAbsent(r[f]))) return undefined;
  if (r.eventSource !== undefined && typeof r.eventSource !== 'string') {
    return undefined;
  }
  if (r.eventName !== undefined && typeof r.eventName !== 'string') {
    return undefined;
  }
  const who = r.userIdentity as Record<string, unknown> | undefined;
  if (who !== undefined && (typeof who !== 'object' || who === null)) {
    return undefined;
  }
  if (who && !(isTextOrAbsent(who.arn) && isTextOrAbsent(who.accessKeyId))) {
    return undefined;
  }
  const text = (v: unknown) => (v as string | null | undefined) || undefined;
  return {
    eventID: text(r.eventID),
    eventTime,
    eventSource: r.eventSource as string | undefined,
    eventName: r.eventName as string | undefined,
    awsRegion: text(r.awsRegion),
    sourceIPAddress: text(r.sourceIPAddress),
    userAgent: text(r.userAgent),
    errorCode: text(r.errorCode),
    userIdentity: who && {
      arn: text(who.arn),
      accessKeyId: text(who.accessKeyId),
    },
    responseElements: r.responseElements,
  };
}

const consoleSignInFailed = (responseElements: unknown) =>
  typeof responseElements === 'object' &&
  responseElements !== null &&
  (responseElements as { ConsoleLogin?: unknown }).ConsoleLogin === 'Failure';

/**
 * Reads a CloudTrail log file (`{ "Records": [...] }`, as CloudTrail delivers to S3, after
 * gunzip) one record at a time, so a file of hundreds of megabytes reads in flat memory.
 *
 * A record is `failed` when it carries any errorCode: CloudTrail sets one only when the call
 * failed. That covers the authentication failures (InvalidClientTokenId,
 * SignatureDoesNotMatch, AuthFailure), the authorisation ones (AccessDenied,
 * UnauthorizedOperation) and the rest (throttling, validation); the errorCode is kept for the
 * caller to tell them apart. A console sign-in that failed says so in responseElements
 * instead. Records that name neither an access key nor an ARN (calls made by AWS services
 * themselves) tell nothing about an identity and are skipped.
 */
export async function* parseCloudTrail(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<UsageObservation> {
  for await (const item of streamJsonArray(input, SOURCE, ['Records'])) {
    const record =
      readPlainRecord(item.value) ??
      parseLenient(recordSchema, item, SOURCE, warn);
    const { accessKeyId, arn } = record.userIdentity ?? {};
    if (!accessKeyId && !arn) continue;
    yield {
      eventId: record.eventID,
      provider: 'aws',
      externalId: accessKeyId,
      principal: arn,
      occurredAt: record.eventTime,
      sourceAddress: record.sourceIPAddress,
      region: record.awsRegion,
      userAgent: record.userAgent,
      // In the form of IAM actions: s3.amazonaws.com + GetObject is s3:GetObject.
      action:
        record.eventSource && record.eventName
          ? `${record.eventSource.replace(/\.amazonaws\.com$/, '')}:${
              record.eventName
            }`
          : undefined,
      failed:
        record.errorCode !== undefined ||
        consoleSignInFailed(record.responseElements),
      errorCode: record.errorCode,
    };
  }
}
