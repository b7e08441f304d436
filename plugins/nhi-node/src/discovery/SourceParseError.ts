import { InputError } from '@backstage/errors';

/**
 * A source file that cannot be read as its format says: the run of that source fails and
 * its last good state is kept. The message names the source, where in the file, and why, so
 * that whoever produced the file can fix it. It is an InputError (named `InputError`), so an
 * API that surfaces it answers 400.
 */
export class SourceParseError extends InputError {
  /** The format, e.g. `aws-credential-report`. */
  readonly source: string;
  /** Where: `row 12`, `line 40`, `$.Records[3].eventTime`. */
  readonly location: string;
  readonly reason: string;

  constructor(source: string, location: string, reason: string) {
    super(`${source} ${location}: ${reason}`);
    this.source = source;
    this.location = location;
    this.reason = reason;
  }
}
