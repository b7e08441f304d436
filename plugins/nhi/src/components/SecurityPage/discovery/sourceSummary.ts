const identities = (n: number) => (n === 1 ? 'identity' : 'identities');
const s = (n: number) => (n === 1 ? '' : 's');

/**
 * The figures of a source's last good read in words, in the order a reader takes them in:
 * credential lists, then usage logs, then leak scans.
 */
const SUMMARY_WORDS: Array<[key: string, words: (n: number) => string]> = [
  ['credentials', n => `${n} credential${s(n)} listed`],
  ['declared', n => `${n} declared ${identities(n)} listed`],
  ['discovered', n => `${n} undeclared, kept as discovered`],
  ['missing', n => `${n} declared ${identities(n)} missing at source`],
  ['observations', n => `${n} log record${s(n)} read`],
  ['attributed', n => `${n} naming a known identity`],
  ['counted', n => `${n} counted by this read`],
  ['unattributed', n => `${n} naming no known identity`],
  ['skipped', n => `${n} skipped (already counted or out of range)`],
  ['reports', n => `${n} leak report${s(n)}`],
  ['matched', n => `${n} matched to an identity`],
  ['unmatched', n => `${n} matched to no identity`],
];

/** One line per figure; one the backend adds later still shows, under its own name. */
export function summaryLines(summary: Record<string, number> = {}): string[] {
  const known = SUMMARY_WORDS.filter(([key]) => key in summary).map(
    ([key, words]) => words(summary[key]),
  );
  const unknown = Object.keys(summary)
    .filter(key => !SUMMARY_WORDS.some(([k]) => k === key))
    .map(key => `${key}: ${summary[key]}`);
  return [...known, ...unknown];
}
