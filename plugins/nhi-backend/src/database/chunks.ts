// SQLite allows 32766 bound variables per statement (25 columns × 200 rows stays well under),
// and knex writes a multi-row insert as a compound SELECT, which SQLite caps at 500 terms.
export const CHUNK = 200;

/** Splits work into pieces one statement can carry on every supported database. */
export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
