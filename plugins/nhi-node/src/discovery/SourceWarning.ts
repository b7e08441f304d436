/**
 * One odd cell of a file that is otherwise fine: a value the parser could not read, kept as
 * "unknown" for that field. The run goes on and records the warning; only a file that cannot
 * be trusted as a whole (wrong header, truncation, wrong format) fails the run.
 */
export interface SourceWarning {
  /** Where: `row 12`, `line 40`, `$[3]`. */
  location: string;
  /** The column or field whose value was not read, e.g. `access_key_1_last_used_date`. */
  field: string;
  /** Why, describing the value as describeValue does (its type and length), never a secret. */
  reason: string;
}

/** What a parser calls for each odd cell. */
export type WarnFn = (warning: SourceWarning) => void;

/** A parser's warnings go nowhere unless its caller listens. */
export const ignoreWarnings: WarnFn = () => {};
