import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import {
  oneOf,
  optionalText,
  optionalTimestamp,
  describeValue,
  timestamp,
} from './values';

const KEYS_SOURCE = 'gcp-service-account-keys';
const ACTIVITY_SOURCE = 'gcp-key-last-authentication';

const KEY_NAME = /^projects\/[^/]+\/serviceAccounts\/([^/]+)\/keys\/[^/]+$/;

/** How Google writes "never expires" for a user-managed key. */
const NEVER = '9999-12-31T23:59:59.000Z';

/**
 * One entry of `gcloud iam service-accounts keys list --format=json` (the REST keys
 * resource). Only the name identifies a key; an unreadable time or type is unknown.
 */
const keySchema = z.object({
  name: z.string({ error: 'must be the key resource name' }).regex(KEY_NAME, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not projects/PROJECT/serviceAccounts/EMAIL/keys/ID`,
  }),
  validAfterTime: optionalTimestamp(),
  validBeforeTime: optionalTimestamp(),
  keyType: oneOf(['USER_MANAGED', 'SYSTEM_MANAGED']).optional(),
  disabled: z.boolean({ error: 'must be true or false' }).optional(),
  disableReason: optionalText(),
  // Google's own documentation prints the reason in snake case; the API writes camel case.
  disable_reason: optionalText(),
});

/** Reasons that mean Google itself found the private key exposed. */
const EXPOSED = /_(EXPOSED|COMPROMISE_DETECTED)$/;

/**
 * Reads the keys of service accounts as `gcloud iam service-accounts keys list --format=json`
 * prints them, or as the REST API returns them (`{ "keys": [...] }`). System-managed keys are yielded too, marked managedByProvider: Google rotates
 * them, so they count for the inventory but not for rotation. `lastUsed` joins the last
 * authentication times read by parseGcpKeyLastAuthentication, by key name.
 */
export async function* parseGcpServiceAccountKeys(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
  options: { lastUsed?: ReadonlyMap<string, string> } = {},
): AsyncGenerator<DiscoveredCredential> {
  for await (const item of streamJsonArray(input, KEYS_SOURCE, [], ['keys'])) {
    const key = parseLenient(keySchema, item, KEYS_SOURCE, warn);
    const email = KEY_NAME.exec(key.name)![1];
    const disableReason = key.disableReason ?? key.disable_reason;
    const reason = disableReason?.replace(
      /^SERVICE_ACCOUNT_KEY_DISABLE_REASON_/,
      '',
    );
    const exposed = key.disabled && EXPOSED.test(disableReason ?? '');
    const shortId = key.name.slice(-8);
    yield {
      provider: 'gcp',
      externalId: key.name,
      kind: 'service-account-key',
      principal: email,
      displayName: `${email} key ${shortId}`,
      active: !key.disabled,
      createdAt: key.validAfterTime,
      expiresAt:
        key.validBeforeTime === NEVER ? undefined : key.validBeforeTime,
      lastUsedAt: options.lastUsed?.get(key.name),
      // Unknown when the key type could not be read.
      managedByProvider: key.keyType && key.keyType === 'SYSTEM_MANAGED',
      disabledReason: key.disabled ? reason : undefined,
      findings: exposed
        ? [
            {
              code: 'secret-leaked',
              severity: 'critical',
              detail: `Google disabled ${email}'s key ${shortId} because its private key was found exposed (${reason}). Delete it and find where it leaked.`,
            },
          ]
        : undefined,
    };
  }
}

/** One entry of `gcloud policy-intelligence query-activity --activity-type=serviceAccountKeyLastAuthentication`. */
const activitySchema = z.object({
  activityType: z.literal('serviceAccountKeyLastAuthentication', {
    error: issue =>
      `${describeValue(issue.input, [
        'serviceAccountKeyLastAuthentication',
      ])} is not serviceAccountKeyLastAuthentication: query with --activity-type=serviceAccountKeyLastAuthentication`,
  }),
  activity: z.object({
    lastAuthenticatedTime: timestamp(),
    serviceAccountKey: z.object({
      fullResourceName: z
        .string({ error: 'must be the key full resource name' })
        .regex(/^\/\/iam\.googleapis\.com\/projects\//, {
          error: issue =>
            `${describeValue(
              issue.input,
            )} is not //iam.googleapis.com/projects/…/keys/ID`,
        }),
    }),
  }),
});

/** When a key last authenticated, to join onto its credential by externalId. */
export interface GcpKeyLastAuthentication {
  externalId: string;
  lastUsedAt: string;
}

/**
 * Reads key last-authentication activities. Google records the time to the day, and only
 * within its observation period: a key that is not listed was not seen authenticating.
 * Collect them into a map for the `lastUsed` option of parseGcpServiceAccountKeys.
 */
export async function* parseGcpKeyLastAuthentication(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<GcpKeyLastAuthentication> {
  for await (const item of streamJsonArray(input, ACTIVITY_SOURCE)) {
    const { activity } = parseLenient(
      activitySchema,
      item,
      ACTIVITY_SOURCE,
      warn,
    );
    yield {
      // The key's resource name, as the keys list names it.
      externalId: activity.serviceAccountKey.fullResourceName.replace(
        '//iam.googleapis.com/',
        '',
      ),
      lastUsedAt: activity.lastAuthenticatedTime,
    };
  }
}
