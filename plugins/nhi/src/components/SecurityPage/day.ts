/** The date part of an ISO timestamp, or a dash when there is none. */
export const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');
