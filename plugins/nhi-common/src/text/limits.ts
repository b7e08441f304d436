/**
 * The limits every door applies to text it accepts. They are documented in this folder's
 * README; change them there too.
 */
export const TEXT_LIMITS = {
  /**
   * How many objects or arrays deep a value may nest. The deepest body the API documents is four
   * levels (`decisions[].acknowledgements.<code>`); 32 leaves room for growth while a request
   * built to exhaust a recursive walker is refused before anything reads it.
   */
  maxDepth: 32,
  /**
   * The years a date may fall in. 1970 is the Unix epoch: earlier dates in credential data are
   * zero values (`0001-01-01`, `0000-00-00`) rather than history. 9999 is the last four-digit
   * year and the date RFC 5280 gives a certificate that never expires (99991231235959Z).
   */
  earliestYear: 1970,
  latestYear: 9999,
} as const;
