/** Counts over a window, read only for identities whose row shows recent logins or failures. */
export interface WindowedEventFacts {
  interactiveLogins: { count: number; lastAt?: string };
  authFailures: { lastDay: number; dailyAverage: number };
}
