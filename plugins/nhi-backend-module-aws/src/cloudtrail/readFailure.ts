import { describeAwsError } from '../awsErrors';

/**
 * What could not be done in an account's logs, in words for the Discovery tab: the bucket
 * folder or object, and AWS's answer. `cause` is AWS's error, to tell refused credentials.
 */
export class LogReadError extends Error {
  constructor(what: string, readonly cause: unknown) {
    super(`${what}: ${describeAwsError(cause)}`);
    this.name = 'LogReadError';
  }
}
