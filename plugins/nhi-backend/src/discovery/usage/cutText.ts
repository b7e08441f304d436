/**
 * At most `max` UTF-16 units of `text`, cut between code points: a plain slice can split an
 * emoji's surrogate pair, and the lone half is refused by the event schema, batch and all.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const point of text) {
    if (end + point.length > max) break;
    end += point.length;
  }
  return text.slice(0, end);
}
