import { z } from 'zod';
import {
  CAMPAIGN_STATUSES,
  EXCEPTABLE_FINDINGS,
  EXCEPTION_STATUSES,
  MACHINE_IDENTITY_TYPES,
  REVIEW_DECISIONS,
  REVIEW_ITEM_STATES,
  isoDateRule,
  notBlankRule,
  textRule,
} from '@nhi-governance/plugin-nhi-common';
import { knownFindingCodes } from '../engine/FindingRuleRegistry';
import { flag, list, oneOf } from '../http/queryParams';

/** A single-line text: an id, a ticket, a scope; never only white space or invisible characters. */
const text = (max: number) =>
  z
    .string({ error: 'is required' })
    .max(max, `must be at most ${max} characters`)
    .superRefine(textRule())
    .superRefine(notBlankRule());

/**
 * A written reason: required, prose (line breaks allowed), and more than white space and
 * invisible characters (a justification of zero-width spaces is none).
 */
const reason = (max = 4000) =>
  z
    .string({ error: 'is required' })
    .max(max, `must be at most ${max} characters`)
    .superRefine(textRule({ multiline: true }))
    .superRefine(notBlankRule());

// Refs are stored with the kind in lower case, as stringifyEntityRef writes them.
const entityRef = (kinds: string[]) =>
  z
    .string({ error: 'is required' })
    .regex(
      new RegExp(`^(${kinds.join('|')}):[^/\\s]+/\\S+$`, 'i'),
      `must be a full entity ref such as ${kinds[0]}:default/payments`,
    )
    .transform(v => v.replace(/^[^:]+/, kind => kind.toLowerCase()));

/** A date, or a date and time, that exists, in the years TEXT_LIMITS allows. */
const isoTime = z.string({ error: 'is required' }).superRefine(
  isoDateRule({
    formatMessage:
      'must be an ISO 8601 date or time such as 2026-12-31T00:00:00Z',
  }),
);

const page = {
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(100),
  offset: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(0),
};

export const startCampaignBody = z.strictObject({
  period: text(64).regex(/^[\w.:-]+$/, 'must be a period name such as 2026-Q4'),
  scope: z
    .strictObject({
      owner: z.array(entityRef(['group', 'user'])).optional(),
      system: z.array(entityRef(['system'])).optional(),
      type: z.array(oneOf(MACHINE_IDENTITY_TYPES)).optional(),
      environment: z.array(text(64)).optional(),
    })
    .default({}),
  dueAt: isoTime.optional(),
  draft: z.boolean({ error: 'must be true or false' }).optional(),
});

export const listCampaignsQuery = z.strictObject({
  status: list(oneOf(CAMPAIGN_STATUSES)),
});

export const listItemsQuery = z.strictObject({
  state: list(oneOf(REVIEW_ITEM_STATES)),
  group: list(entityRef(['group', 'user'])),
  newSinceLastCampaign: flag(),
  ...page,
});

/** The caller's own items: their groups are known, so there is no group filter. */
export const myItemsQuery = z.strictObject({
  state: list(oneOf(REVIEW_ITEM_STATES)),
  ...page,
});

const decisionFields = {
  decision: oneOf(REVIEW_DECISIONS),
  scopesToRemove: z
    .array(text(500))
    .min(1, 'must name at least one scope')
    .optional(),
  reassignTo: entityRef(['group', 'user']).optional(),
  // A module's finding may need acknowledging too: the codes are read when a request is.
  acknowledgements: z
    .lazy(() => z.partialRecord(oneOf(knownFindingCodes()), reason()))
    .optional(),
};

export const decideOneBody = z.strictObject({
  ...decisionFields,
  justification: reason(),
});

/** A bulk decision: the justification is asked for once and recorded on every item. */
export const decideBulkBody = z.strictObject({
  justification: reason(),
  decisions: z
    .array(z.strictObject({ itemId: text(36), ...decisionFields }))
    .min(1, 'must hold at least one decision')
    .max(500, 'must hold at most 500 decisions'),
});

export const reassignmentBody = z.strictObject({
  accept: z.boolean({ error: 'must be true or false' }),
  justification: reason(),
});

export const requestExceptionBody = z.strictObject({
  identity: entityRef(['machineidentity']),
  finding: oneOf(EXCEPTABLE_FINDINGS),
  justification: reason(),
  compensatingControls: reason(),
  expiresAt: isoTime,
});

export const listExceptionsQuery = z.strictObject({
  status: list(oneOf(EXCEPTION_STATUSES)),
  identity: entityRef(['machineidentity']).optional(),
  mine: flag(),
});

export const decideExceptionBody = z.strictObject({
  reason: reason(),
});

export const approvalQueueQuery = z.strictObject(page);

export const approvalDecisionBody = z.strictObject({
  decision: oneOf(['approve', 'send-back'] as const),
  ticket: text(255).optional(),
  reason: reason(),
});
