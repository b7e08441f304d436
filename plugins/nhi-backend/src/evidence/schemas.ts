import { z } from 'zod';
import { checkIsoDate } from '@nhi-governance/plugin-nhi-common';

const day = z
  .string({ error: 'is required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-10-01')
  .superRefine((v, ctx) => {
    const checked = checkIsoDate(v, { time: 'forbidden' });
    // The form is the expression's to report; this says whether the day exists, and its year.
    if (!checked.ok && checked.problem !== 'format') {
      ctx.addIssue({
        code: 'custom',
        message:
          checked.problem === 'range'
            ? checked.reason
            : 'must be a real date such as 2026-10-01',
      });
    }
  });

/** An audit period (both days included), or a campaign. */
export const evidenceQuery = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    campaign: z
      .string({ error: 'must be a campaign id' })
      .max(36, 'must be a campaign id')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.campaign) {
      if (v.from || v.to) {
        ctx.addIssue({
          code: 'custom',
          path: ['campaign'],
          message: 'must not be given together with from and to',
        });
      }
      return;
    }
    for (const key of ['from', 'to'] as const) {
      if (!v[key]) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is required (or give campaign)',
        });
      }
    }
  });

/** How many past exports to list. */
export const evidenceExportsQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
});
