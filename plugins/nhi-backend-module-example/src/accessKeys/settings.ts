import { z } from 'zod';

/** The format's name, as a source names it in app-config (`format: aws-iam-access-keys`). */
export const ACCESS_KEYS_FORMAT = 'aws-iam-access-keys';

/**
 * `settings` of a source of this format. `aws iam list-access-keys` names the user but not the
 * account, and the portal matches a key to its declared identity by the user's ARN.
 */
export const accessKeysSettings = z.strictObject({
  accountId: z
    .string({ error: 'is required: the 12-digit AWS account id' })
    .regex(/^\d{12}$/, 'must be the 12-digit AWS account id'),
  /** The IAM path of the users, when they have one (`/integrations/`); `/` by default. */
  userPath: z
    .string()
    .regex(/^\/([\w+=,.@-]+\/)*$/, 'must be an IAM path such as /integrations/')
    .default('/'),
});

export type AccessKeysSettings = z.infer<typeof accessKeysSettings>;
