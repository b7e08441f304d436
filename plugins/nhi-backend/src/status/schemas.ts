import { z } from 'zod';
import { ROLLUP_DIMENSIONS, textRule } from '@nhi-governance/plugin-nhi-common';
import { oneOf } from '../http/queryParams';

export const rollupsQuery = z.strictObject({
  by: oneOf(ROLLUP_DIMENSIONS).default('owner'),
});

export const trendQuery = z.strictObject({
  by: oneOf(ROLLUP_DIMENSIONS).default('all'),
  key: z
    .string()
    .max(255, 'must be at most 255 characters')
    .superRefine(textRule())
    .default(''),
  days: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(730, 'must be at most 730')
    .default(90),
});
