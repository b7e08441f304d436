import { z } from 'zod';
import { DateTime, Duration } from 'luxon';
import { parseEntityRef } from '@backstage/catalog-model';
import type { RefField } from './refs';
import { isoDateRule, notBlankRule, textRule } from '../text/zodRules';
import {
  DEFAULT_REF_KINDS,
  MACHINE_IDENTITY_API_VERSION,
  MACHINE_IDENTITY_KIND,
  MACHINE_IDENTITY_TYPES,
  PRIVILEGE_LEVELS,
  ROTATION_MODES,
} from './vocabulary';

// Every message below is read by a person fixing a YAML file: it says what the field must be,
// and it never repeats the offending value (which could be secret material).
const expecting = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be ${what}`,
});

const oneOf = (values: readonly string[]) =>
  z.enum(
    values as [string, ...string[]],
    expecting(`one of ${values.join(', ')}`),
  );

/**
 * Text a person wrote: no control characters, lone surrogates or bidi overrides, and more than
 * white space and invisible characters. Only prose (a purpose) may span lines.
 */
const nonEmptyText = (what: string, options: { multiline?: boolean } = {}) =>
  z
    .string(expecting(what))
    // The pattern tells editors (through the JSON Schema); the rules below say the rest.
    .regex(/\S/, { message: 'must not be empty', abort: true })
    .superRefine(textRule(options))
    .superRefine(notBlankRule());

function isEntityRef(
  value: string,
  defaultKind: string,
  allowedKinds?: string[],
): boolean {
  try {
    const ref = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: 'default',
    });
    return (
      !allowedKinds ||
      allowedKinds.includes(ref.kind.toLocaleLowerCase('en-US'))
    );
  } catch {
    return false;
  }
}

const entityRef = (field: RefField, example: string, allowedKinds?: string[]) =>
  z
    .string(expecting(`an entity ref such as ${example}`))
    .superRefine(textRule())
    .refine(v => isEntityRef(v, DEFAULT_REF_KINDS[field], allowedKinds), {
      message: allowedKinds
        ? `must be an entity ref of kind ${allowedKinds.join(
            ' or ',
          )}, such as ${example}`
        : `must be an entity ref such as ${example}`,
    });

// A calendar date, optionally with a time: luxon alone would also take a bare time ("10:00").
const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}(?:$|T)/;

const isoDate = z
  .string(expecting('an ISO 8601 date such as 2026-01-10'))
  .regex(ISO_DATE_PREFIX, {
    message: 'must be an ISO 8601 date such as 2026-01-10',
    abort: true,
  })
  // A date that exists (no 30 February), in the years TEXT_LIMITS allows (not 0000).
  .superRefine(
    isoDateRule({
      formatMessage: 'must be an ISO 8601 date such as 2026-01-10',
    }),
  );

/**
 * Orders two ISO dates. A date without a time covers the whole day, so it is compared by day
 * with a timestamp: `2026-01-10` is not before `2026-01-10T12:00Z`.
 */
function isBefore(a: string, b: string): boolean {
  const dateOnly = a.length === 10 || b.length === 10;
  const parse = (v: string) => {
    const d = DateTime.fromISO(v, { zone: 'utc' });
    return dateOnly ? d.startOf('day') : d;
  };
  const [da, db] = [parse(a), parse(b)];
  return da.isValid && db.isValid && da < db;
}

const isoDuration = z
  .string(expecting('an ISO 8601 duration such as P90D'))
  .refine(
    v => {
      const d = Duration.fromISO(v);
      return d.isValid && d.toMillis() > 0;
    },
    { message: 'must be a positive ISO 8601 duration such as P90D' },
  );

const credentialSchema = z
  .strictObject(
    {
      rotation: oneOf(ROTATION_MODES).optional(),
      createdAt: isoDate.optional(),
      lastRotatedAt: isoDate.optional(),
      expiresAt: isoDate.optional(),
      rotationPeriod: isoDuration.optional(),
    },
    expecting('an object'),
  )
  .superRefine((credential, ctx) => {
    const { createdAt, lastRotatedAt, expiresAt } = credential;
    for (const [field, value] of [
      ['lastRotatedAt', lastRotatedAt],
      ['expiresAt', expiresAt],
    ] as const) {
      if (createdAt && value && isBefore(value, createdAt)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'must not be before credential.createdAt',
        });
      }
    }
  });

const approvalSchema = z.strictObject(
  {
    approvedBy: entityRef('approvedBy', 'user:sam.okafor', ['user', 'group']),
    approvedAt: isoDate,
    ticket: nonEmptyText('a ticket reference such as SEC-1423').optional(),
  },
  expecting('an object'),
);

const uniqueStrings = (item: z.ZodType<string>, what: string) =>
  z
    .array(item, expecting(`a list of ${what}`))
    // Compared as stored (NFC): two spellings of one scope would be one entry twice.
    .refine(
      list => new Set(list.map(v => v.normalize('NFC'))).size === list.length,
      {
        message: 'must not list the same entry twice',
      },
    );

/** The `spec` of a MachineIdentity entity. Unknown fields are rejected so typos surface. */
export const machineIdentitySpecSchema = z.strictObject(
  {
    type: oneOf(MACHINE_IDENTITY_TYPES).describe(
      'What kind of machine identity this is.',
    ),
    owner: entityRef('owner', 'group:payments', ['group', 'user']).describe(
      'The accountable team (Group) or person (User). A bare name means a Group.',
    ),
    purpose: nonEmptyText('a non-empty business purpose', {
      multiline: true,
    }).describe('Why the identity exists, in business terms.'),
    usedBy: uniqueStrings(
      entityRef('usedBy', 'component:payments-api'),
      'entity refs',
    )
      .optional()
      .describe(
        'The entities that use the identity. A bare name means a Component.',
      ),
    system: entityRef('system', 'system:payments', ['system'])
      .optional()
      .describe('The System the identity belongs to.'),
    environment: z
      .string(expecting('a lowercase word such as production'))
      .regex(/^[a-z][a-z0-9-]*$/, {
        message:
          'must be a lowercase word such as production, staging, development or test',
      })
      .optional()
      .describe(
        'production, staging, development, test or another lowercase word.',
      ),
    provider: z
      .string(expecting('a provider name such as aws-iam'))
      .regex(/^[a-z0-9][a-z0-9._-]*$/, {
        message:
          'must be a lowercase provider name such as aws-iam, gcp or github',
      })
      .optional()
      .describe(
        'Where the identity lives, e.g. aws-iam, gcp, azure, github, kubernetes, vault.',
      ),
    externalId: nonEmptyText("the provider's id of the identity")
      .optional()
      .describe(
        "The provider's id of the identity (an ARN, an email, a serial). Never the secret.",
      ),
    scopes: uniqueStrings(
      z
        .string(expecting('a string'))
        .superRefine(textRule())
        // Cloud role names have inner spaces ("Azure Event Hubs Data Receiver"); edges and line breaks are typos.
        .regex(/^\S(?:.*\S)?$/, {
          message:
            'must be a non-empty, single-line scope without leading or trailing spaces',
        }),
      'scopes',
    )
      .optional()
      .describe(
        'What the identity may do, as the provider names it, e.g. rds:payments:write.',
      ),
    privilege: oneOf(PRIVILEGE_LEVELS)
      .optional()
      .describe('The highest level of access the scopes grant.'),
    credential: credentialSchema
      .optional()
      .describe(
        'How the credential is kept: dates and rotation, never the value.',
      ),
    approval: approvalSchema
      .optional()
      .describe('Who approved the identity, when, and the reference.'),
    backupOwner: entityRef('backupOwner', 'user:dana.reyes', ['user', 'group'])
      .optional()
      .describe(
        'Who answers for the identity when the owner cannot. A bare name means a Group.',
      ),
  },
  expecting('an object'),
);

/** A whole MachineIdentity entity; envelope fields other than spec are checked by the catalog. */
export const machineIdentityEntitySchema = z.looseObject({
  apiVersion: z.literal(
    MACHINE_IDENTITY_API_VERSION,
    expecting(MACHINE_IDENTITY_API_VERSION),
  ),
  kind: z.literal(MACHINE_IDENTITY_KIND, expecting(MACHINE_IDENTITY_KIND)),
  metadata: z.looseObject(
    {
      name: z.string(expecting('a string')),
      namespace: z.string(expecting('a string')).optional(),
    },
    expecting('an object'),
  ),
  spec: machineIdentitySpecSchema,
});
