import { z } from 'zod';
import {
  IDENTITY_SORT_FIELDS,
  MACHINE_IDENTITY_TYPES,
  REVIEW_STATUSES,
  ROTATION_STATUSES,
  USAGE_STATUSES,
} from '@nhi-governance/plugin-nhi-common';
import { findingCode, flag, list, oneOf } from '../http/queryParams';

export const listIdentitiesQuery = z.strictObject({
  owner: list(z.string()),
  system: list(z.string()),
  usedBy: list(z.string()),
  type: list(oneOf(MACHINE_IDENTITY_TYPES)),
  environment: list(z.string()),
  rotation: list(oneOf(ROTATION_STATUSES)),
  usage: list(oneOf(USAGE_STATUSES)),
  review: list(oneOf(REVIEW_STATUSES)),
  compliant: flag(),
  finding: list(findingCode()),
  includeRemoved: flag(),
  sort: oneOf(IDENTITY_SORT_FIELDS).default('risk'),
  order: z
    .enum(['asc', 'desc'], { error: 'must be asc or desc' })
    .default('desc'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
  offset: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(0),
});
