// White space (which in JS includes the BOM and no-break spaces), the default-ignorable code
// points (zero-width space and joiners, word joiner, soft hyphen, fillers, variation selectors,
// bidi marks, tags), and the blank braille pattern, which fonts draw as nothing.
const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/**
 * True when a text shows nothing: empty once white space and invisible characters are trimmed.
 * A justification of zero-width spaces is no justification.
 */
export function isBlankText(text: string): boolean {
  return INVISIBLE_ONLY.test(text);
}
