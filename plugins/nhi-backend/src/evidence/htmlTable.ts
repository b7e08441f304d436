/** Text as HTML: data is shown, never read as markup. */
export const escape = (text: unknown) =>
  String(text ?? '').replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

/** An HTML table of escaped cells; with no rows, one that says "none". */
export const table = (head: string[], rows: unknown[][]) =>
  `<table><thead><tr>${head
    .map(h => `<th>${escape(h)}</th>`)
    .join('')}</tr></thead><tbody>${
    rows.length
      ? rows
          .map(r => `<tr>${r.map(c => `<td>${escape(c)}</td>`).join('')}</tr>`)
          .join('')
      : `<tr><td colspan="${head.length}">none</td></tr>`
  }</tbody></table>`;
