import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/** Parses request input, or throws a 400 that names each bad field and why. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: string,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap(issue =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(k => `${k} is not a known ${where} parameter`)
      : [`${issue.path.join('.') || where} ${issue.message}`],
  );
  throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
}
