import type {
  ExceptableFinding,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import { isExceptable } from '../helpers';

/** `YYYY-MM-DD` of a time, in UTC. */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const addDays = (d: Date, days: number) =>
  new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days),
  );

/** The same day a year later (28 February for 29 February), as the server counts a year. */
function oneYearAhead(d: Date) {
  const year = d.getUTCFullYear() + 1;
  const month = d.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay)));
}

/** The dates an exception may end on: after today, at most a year ahead, 90 days by default. */
export function expiryBounds(now = new Date()) {
  return {
    min: isoDay(addDays(now, 1)),
    max: isoDay(oneYearAhead(now)),
    initial: isoDay(addDays(now, 90)),
  };
}

/** Why an expiry date is refused, or undefined when it is fine. */
export function expiryProblem(date: string, now = new Date()) {
  const { min, max } = expiryBounds(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    return 'Pick the date the exception ends.';
  }
  if (date < min) return 'The exception must end after today.';
  if (date > max) return `At most one year ahead: ${max} at the latest.`;
  return undefined;
}

/** The findings open on the identity that an exception may cover (not already excepted). */
export function exceptableFindings(identity: IdentityView) {
  return (identity.status?.findings ?? [])
    .filter(f => !f.exception && isExceptable(f.code))
    .map(f => f.code as ExceptableFinding);
}
