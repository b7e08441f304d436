/** Where a text may hold line breaks and tabs. */
export interface ScreenTextOptions {
  /**
   * Allow `\t`, `\n` and `\r` (and U+2028/U+2029). True for prose a person writes in a text box
   * (justifications, reasons, a purpose); false for names, ids, refs and keys. Default: false.
   */
  multiline?: boolean;
}

export type CleanText =
  | { ok: true; text: string }
  | { ok: false; reason: string };

// C0 controls other than tab, line feed and carriage return; DEL; the C1 controls. Matching
// control characters is the point of this expression.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;
// Embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574): they make a CSV cell or a
// page show text in another order than it is stored. Marks (U+200E/U+200F) stay allowed.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
// With the u flag a surrogate pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /\p{Surrogate}/u;

// Printable ASCII holds none of the above: the common case, answered with one test.
export const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

const codePoint = (char: string) =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a text may not be stored, or undefined when it may. The reason names the character's code
 * point, never the text (which could be secret material).
 */
export function textProblem(
  text: string,
  options: ScreenTextOptions = {},
): string | undefined {
  if (PRINTABLE_ASCII.test(text)) return undefined;
  const control = CONTROL.exec(text);
  if (control) {
    return control[0] === '\u0000'
      ? 'contains a NUL character (U+0000)'
      : `contains a control character (${codePoint(control[0])})`;
  }
  if (!options.multiline) {
    const lineBreak = LINE_BREAK_OR_TAB.exec(text);
    if (lineBreak) {
      return `contains a line break or tab (${codePoint(
        lineBreak[0],
      )}), which this field does not allow`;
    }
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    return `contains a lone surrogate (${codePoint(
      surrogate[0],
    )}), which is not Unicode text`;
  }
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) {
    return `contains a bidirectional override (${codePoint(
      bidi[0],
    )}), which can make text display differently from what is stored`;
  }
  return undefined;
}

/**
 * A text as it is stored: in Unicode normal form C, so that the same words typed on two systems
 * (a precomposed é, or e and a combining accent) are one string in a column, in its ledger
 * entry and in an export. Refused, with the reason, when {@link textProblem} finds one.
 */
export function cleanText(
  text: string,
  options: ScreenTextOptions = {},
): CleanText {
  const reason = textProblem(text, options);
  return reason
    ? { ok: false, reason }
    : { ok: true, text: text.normalize('NFC') };
}
