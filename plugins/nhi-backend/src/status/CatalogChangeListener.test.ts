import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { NHI_CATALOG_CHANGED_TOPIC } from '@nhi-governance/plugin-nhi-common';
import {
  CatalogChangeListener,
  readCatalogChangeDebounceMs,
} from './CatalogChangeListener';

const DEBOUNCE = 5_000;

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(refresh = jest.fn(async () => {})) {
  const logger = mockServices.logger.mock();
  const listener = new CatalogChangeListener({
    refresh,
    logger,
    debounceMs: DEBOUNCE,
  });
  return { listener, refresh, logger };
}

describe('CatalogChangeListener', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('turns a burst of changes into one refresh, after the quiet period', async () => {
    const { listener, refresh, logger } = setup();
    for (let i = 0; i < 50; i++) {
      listener.notifyChanged(`machineidentity:default/id-${i}`);
      await jest.advanceTimersByTimeAsync(50);
    }
    // 2.5 s of changes: the quiet period started with the first one and has not ended.
    expect(refresh).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Catalog changed: machine identities refresh requested',
      { changed: expect.stringContaining('machineidentity:default/id-49') },
    );

    // Nothing changed since: nothing more happens.
    await jest.advanceTimersByTimeAsync(10 * DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes at most once per quiet period under a steady stream of changes', async () => {
    const { listener, refresh } = setup();
    for (let t = 0; t < 30_000; t += 500) {
      listener.notifyChanged('machineidentity:default/busy');
      await jest.advanceTimersByTimeAsync(500);
    }
    expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(5);
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(30_000 / DEBOUNCE);
  });

  it('keeps one request in flight, and follows changes made during it with one more', async () => {
    const first = deferred();
    const refresh = jest
      .fn(async () => {})
      .mockImplementationOnce(() => first.promise);
    const { listener } = setup(refresh);

    listener.notifyChanged('machineidentity:default/a');
    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);

    // Changes while the first refresh runs: none starts beside it.
    listener.notifyChanged('machineidentity:default/b');
    listener.notifyChanged('machineidentity:default/c');
    await jest.advanceTimersByTimeAsync(3 * DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);

    first.resolve();
    await jest.advanceTimersByTimeAsync(DEBOUNCE - 1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);

    await jest.advanceTimersByTimeAsync(10 * DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('asks again when a refresh is already running (the scheduler answers ConflictError)', async () => {
    const refresh = jest
      .fn(async () => {})
      .mockRejectedValueOnce(
        new ConflictError('Task nhi-refresh is currently running'),
      )
      .mockRejectedValueOnce(
        new ConflictError('Task nhi-refresh is currently running'),
      );
    const { listener, logger } = setup(refresh);

    listener.notifyChanged('machineidentity:default/a');
    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(3);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(expect.any(String), {
      changed: 'machineidentity:default/a',
    });

    await jest.advanceTimersByTimeAsync(10 * DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(3);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs any other failure, leaves it to the scheduled refresh, and keeps listening', async () => {
    const refresh = jest
      .fn(async () => {})
      .mockRejectedValueOnce(new Error('database is locked'));
    const { listener, logger } = setup(refresh);

    listener.notifyChanged('machineidentity:default/a');
    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('the scheduled refresh will catch up'),
      expect.objectContaining({ message: 'database is locked' }),
    );
    await jest.advanceTimersByTimeAsync(10 * DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);

    listener.notifyChanged('machineidentity:default/b');
    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('hears the topic on the events service and never throws into it', async () => {
    const events = mockServices.events();
    const refresh = jest.fn(async () => {
      throw new Error('boom');
    });
    const { listener } = setup(refresh);
    await listener.subscribe(events);

    await expect(
      events.publish({
        topic: NHI_CATALOG_CHANGED_TOPIC,
        eventPayload: { entityRef: 'machineidentity:default/a' },
      }),
    ).resolves.toBeUndefined();
    await events.publish({ topic: 'something.else', eventPayload: {} });
    // A malformed payload still counts as "something changed".
    await events.publish({ topic: NHI_CATALOG_CHANGED_TOPIC, eventPayload: 7 });

    await jest.advanceTimersByTimeAsync(DEBOUNCE);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('drops a pending refresh on stop and ignores later changes', async () => {
    const { listener, refresh } = setup();
    listener.notifyChanged('machineidentity:default/a');
    await listener.stop();
    listener.notifyChanged('machineidentity:default/b');
    await jest.advanceTimersByTimeAsync(10 * DEBOUNCE);
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('readCatalogChangeDebounceMs', () => {
  const read = (refresh?: unknown) =>
    readCatalogChangeDebounceMs(
      new ConfigReader(refresh === undefined ? {} : { nhi: { refresh } }),
    );

  it('defaults to 5 seconds', () => {
    expect(read()).toBe(5_000);
    expect(read({})).toBe(5_000);
  });

  it('reads a duration object or an ISO 8601 duration', () => {
    expect(read({ catalogChangeDebounce: { seconds: 2 } })).toBe(2_000);
    expect(read({ catalogChangeDebounce: 'PT1M' })).toBe(60_000);
    expect(read({ catalogChangeDebounce: { milliseconds: 0 } })).toBe(0);
  });

  it('refuses a value that is not a duration, naming the key', () => {
    expect(() => read({ catalogChangeDebounce: 'soon' })).toThrow(
      /nhi\.refresh\.catalogChangeDebounce/,
    );
  });
});
