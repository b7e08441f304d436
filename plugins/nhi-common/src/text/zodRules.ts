import type { z } from 'zod';
import { CheckIsoDateOptions, isoDateProblem } from './checkIsoDate';
import { isBlankText } from './isBlankText';
import { ScreenTextOptions, textProblem } from './screenText';

/**
 * The checks of this folder as zod refinements (`.superRefine(textRule())`), so that every
 * schema words a refusal the same way. Each adds one issue with the reason, never the value.
 */
export const textRule =
  (options: ScreenTextOptions = {}) =>
  (value: string, ctx: z.RefinementCtx<string>) => {
    const reason = textProblem(value, options);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  };

/** Refuses text that shows nothing once white space and invisible characters are trimmed. */
export const notBlankRule =
  (message = 'must not be empty') =>
  (value: string, ctx: z.RefinementCtx<string>) => {
    if (isBlankText(value)) ctx.addIssue({ code: 'custom', message });
  };

/** Refuses an ISO date that is malformed, does not exist, or falls outside the years allowed. */
export const isoDateRule =
  (options: CheckIsoDateOptions = {}) =>
  (value: string, ctx: z.RefinementCtx<string>) => {
    const reason = isoDateProblem(value, options);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  };
