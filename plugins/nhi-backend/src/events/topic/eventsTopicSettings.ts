import type { Config } from '@backstage/config';

const TOPIC_KEY = 'nhi.events.topic';

/** The topic the nhi backend takes event batches from unless `nhi.events.topic` says otherwise. */
export const DEFAULT_EVENTS_TOPIC = 'nhi.events';

// A topic is also a path segment of the events backend's HTTP ingress (/api/events/http/<topic>).
const TOPIC_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads `nhi.events.topic`: the events service topic whose payloads are event batches, the body
 * `POST /api/nhi/events` takes. `nhi.events` when absent; `false` turns the subscription off
 * (undefined). Anything else stops start-up with a message naming the key.
 */
export function readEventsTopic(config: Config): string | undefined {
  if (!config.has(TOPIC_KEY)) return DEFAULT_EVENTS_TOPIC;
  const value = config.get(TOPIC_KEY);
  if (value === false) return undefined;
  if (typeof value !== 'string' || !TOPIC_NAME.test(value)) {
    throw new Error(
      `${TOPIC_KEY} must be a topic name (letters, digits, '.', '_' and '-', at most 100 characters, e.g. ${DEFAULT_EVENTS_TOPIC}) or false`,
    );
  }
  return value;
}
