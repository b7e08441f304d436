/** What can be reported about a machine identity. */
export const EVENT_TYPES = [
  'issued',
  'rotated',
  'revoked',
  'expired',
  'used',
  'auth-failed',
  'interactive-login',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Events counted per identity per day instead of kept one by one. */
export const ROLLED_UP_EVENT_TYPES: readonly EventType[] = [
  'used',
  'auth-failed',
];

/** Events kept one by one (all but the rolled-up ones): what an identity's history lists. */
export type LifecycleEventType = Exclude<EventType, 'used' | 'auth-failed'>;

/** One event in a `POST /api/nhi/events` batch. Never carries a secret. */
export type IngestEvent = {
  /** The caller's idempotency key: sending the same id again changes nothing. */
  id: string;
  type: EventType;
  /** ISO 8601 timestamp of when it happened. */
  occurredAt: string;
  /** The identity, by entity ref or by where it lives. */
  identity: { ref: string } | { provider: string; externalId: string };
  /** How many uses or failures this event stands for (default 1). */
  count?: number;
  sourceIp?: string;
  region?: string;
  userAgent?: string;
  /** Who acted, for an interactive login (a person's ref or login name). */
  actor?: string;
};

export type IngestEventsResponse = {
  /** Events applied now. */
  accepted: number;
  /** Events whose id had been ingested before, so nothing changed. */
  duplicates: number;
};
