import { InputError } from '@backstage/errors';
import { detectSecretMaterial } from '@nhi-governance/plugin-nhi-common';
import type { z } from 'zod';

// A name that reads as a parameter's name; anything else (`ghp_…` pasted as `?ghp_…=1`) might
// be a secret and is not echoed into the answer or the request log.
const PLAIN_PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,40}$/;

const nameOf = (key: string, where: string) =>
  PLAIN_PARAMETER_NAME.test(key) && detectSecretMaterial(key).length === 0
    ? `${key} is not a known ${where} parameter`
    : `an unknown ${where} parameter was given`;

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
      ? issue.keys.map(k => nameOf(k, where))
      : [`${issue.path.join('.') || where} ${issue.message}`],
  );
  throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
}
