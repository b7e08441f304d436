import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { EventBatchError } from '../EventBatchError';
import { EventTopicSubscriber } from './EventTopicSubscriber';
import { DEFAULT_EVENTS_TOPIC, readEventsTopic } from './eventsTopicSettings';

const TOPIC = 'nhi.events';
const batch = { events: [{ id: 'e-1' }] };

function subscriberWith(ingest: jest.Mock) {
  const logger = mockServices.logger.mock();
  const subscriber = new EventTopicSubscriber({
    topic: TOPIC,
    events: { ingest },
    logger,
    retryDelaysMs: [1, 1],
  });
  const deliver = (eventPayload: unknown) =>
    subscriber.onEvent({ topic: TOPIC, eventPayload });
  return { logger, subscriber, deliver };
}

describe('readEventsTopic', () => {
  const read = (data: object) => readEventsTopic(new ConfigReader(data));

  it('defaults to nhi.events, takes another name, and false turns it off', () => {
    expect(read({})).toBe(DEFAULT_EVENTS_TOPIC);
    expect(DEFAULT_EVENTS_TOPIC).toBe('nhi.events');
    expect(read({ nhi: { events: { topic: 'machine-usage_v2' } } })).toBe(
      'machine-usage_v2',
    );
    expect(read({ nhi: { events: { topic: false } } })).toBeUndefined();
  });

  it.each([
    ['an empty name', ''],
    ['a space', 'two words'],
    ['a slash', 'a/b'],
    ['true', true],
    ['a number', 12],
    ['101 characters', 'x'.repeat(101)],
  ])('stops start-up on %s, naming the key', (_, topic) => {
    expect(() => read({ nhi: { events: { topic } } })).toThrow(
      /^nhi\.events\.topic must be a topic name/,
    );
  });
});

describe('EventTopicSubscriber', () => {
  it('subscribes as nhi-events to its topic', async () => {
    const events = mockServices.events.mock();
    const { subscriber, logger } = subscriberWith(jest.fn());
    await subscriber.subscribe(events);
    expect(events.subscribe).toHaveBeenCalledWith({
      id: 'nhi-events',
      topics: [TOPIC],
      onEvent: expect.any(Function),
    });
    expect(logger.info).toHaveBeenCalledWith(
      'Taking event batches published on topic "nhi.events"',
    );
  });

  it('hands the payload to the event service, screened as the HTTP edge screens a body', async () => {
    const ingest = jest.fn().mockResolvedValue({ accepted: 1, duplicates: 0 });
    const { deliver, logger } = subscriberWith(ingest);
    // "e" followed by a combining acute accent: stored as the one character é (NFC).
    await deliver({ events: [{ id: 'cafe\u0301' }] });
    expect(ingest).toHaveBeenCalledTimes(1);
    expect(ingest.mock.calls[0][0]).toEqual({ events: [{ id: 'caf\u00e9' }] });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('drops a payload the HTTP edge would refuse, with its 400 message, before the event service sees it', async () => {
    const ingest = jest.fn();
    const { deliver, logger } = subscriberWith(ingest);
    await expect(
      deliver({ events: [{ id: 'a\u0000b' }] }),
    ).resolves.toBeUndefined();
    expect(ingest).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /^Dropped an event batch published on topic "nhi\.events": Invalid body: events\[0\]\.id contains /,
    );
  });

  it('drops a refused batch once, with the message the HTTP API answers', async () => {
    const refusal = new EventBatchError(
      'Refused 1 of 1 events; nothing was applied: events[0].type must be one of issued, rotated',
      [{ index: 0, reason: 'events[0].type must be one of issued, rotated' }],
    );
    const ingest = jest.fn().mockRejectedValue(refusal);
    const { deliver, logger } = subscriberWith(ingest);
    await expect(deliver(batch)).resolves.toBeUndefined();
    expect(ingest).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      `Dropped an event batch published on topic "nhi.events": ${refusal.message}`,
    );
  });

  it('drops a malformed envelope with a warning, never a throw', async () => {
    const ingest = jest
      .fn()
      .mockRejectedValue(new InputError('Invalid event batch: body …'));
    const { deliver, logger } = subscriberWith(ingest);
    await expect(deliver('not a batch')).resolves.toBeUndefined();
    expect(ingest).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain('Invalid event batch');
  });

  it('tries again when applying fails on this side, and succeeds', async () => {
    const ingest = jest
      .fn()
      .mockRejectedValueOnce(
        new ServiceUnavailableError('Could not scan the event batch'),
      )
      .mockResolvedValueOnce({ accepted: 1, duplicates: 0 });
    const { deliver, logger } = subscriberWith(ingest);
    await deliver(batch);
    expect(ingest).toHaveBeenCalledTimes(2);
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs an error and gives up after the last attempt, never throwing into the events service', async () => {
    const ingest = jest
      .fn()
      .mockRejectedValue(new Error('connection terminated'));
    const { deliver, logger } = subscriberWith(ingest);
    await expect(deliver(batch)).resolves.toBeUndefined();
    expect(ingest).toHaveBeenCalledTimes(3);
    expect(logger.error).toHaveBeenCalledWith(
      'Could not apply an event batch published on topic "nhi.events" after 3 attempts; it was dropped: connection terminated',
    );
  });
});
