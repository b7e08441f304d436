/** `2026-08-01 14:03 UTC` from an ISO 8601 UTC timestamp; a bare date stays as it is. */
export function formatTime(iso: string): string {
  if (iso.length <= 10) return iso;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `2026-08-01` from an ISO 8601 timestamp or date. */
export const formatDay = (iso: string) => iso.slice(0, 10);

export const plural = (n: number, word: string) =>
  `${n} ${word}${n === 1 ? '' : 's'}`;
