import { z } from 'zod';
import { knownFindingCodes } from '../engine/FindingRuleRegistry';

// A filter may be repeated (?owner=a&owner=b) or comma-separated (?owner=a,b).
export const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(v =>
      (Array.isArray(v) ? v : [v]).flatMap(s => s.split(',')).filter(Boolean),
    )
    .pipe(z.array(item))
    .optional();

export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A finding code: a built-in, or one a backend module registered at start-up. */
export const findingCode = () => z.lazy(() => oneOf(knownFindingCodes()));

export const flag = () =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform(v => v === 'true')
    .optional();
