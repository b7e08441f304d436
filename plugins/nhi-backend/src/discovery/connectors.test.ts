import { createStores } from '../wiring/createStores';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { SourceRunner } from './SourceRunner';
import { SourceFormatRegistry } from './sourceFormats';
import { readDiscoverySources } from './sourceSettings';

jest.setTimeout(60_000);

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', {
  zone: 'utc',
}) as DateTime<true>;

const key = (user: string): DiscoveredCredential => ({
  provider: 'aws',
  externalId: `arn:aws:iam::123456789012:user/${user}#1`,
  kind: 'access-key',
  principal: `arn:aws:iam::123456789012:user/${user}`,
  active: true,
});

/** A connector standing in for an API: what it yields, or the error it fails with. */
function registry(answer: { keys?: string[]; error?: string }) {
  const seen: Array<Record<string, unknown>> = [];
  const connector: NhiConnector = {
    id: 'acme-api',
    kind: 'credentials',
    provider: 'aws',
    reportsUsage: false,
    defaultSchedule: { frequency: { minutes: 20 }, timeout: { minutes: 5 } },
    settingsSchema: z.strictObject({ tenant: z.string() }),
    async *read({ settings, warn, signal }) {
      seen.push({ settings, aborted: signal.aborted });
      for (const user of answer.keys ?? []) {
        if (user === 'odd') {
          warn({ location: 'page 1', field: 'created', reason: 'a number' });
        }
        yield key(user);
      }
      if (answer.error) throw new Error(answer.error);
    },
  };
  const formats = SourceFormatRegistry.withBuiltIns();
  formats.addConnector(connector);
  return { formats, seen };
}

const configured = (formats: SourceFormatRegistry, source: object) =>
  readDiscoverySources(
    new ConfigReader({ nhi: { discovery: { sources: [source as any] } } }),
    formats,
  );

describe('a connector a module adds', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  it('is configured as a source by its id, with its settings and default schedule', () => {
    const { formats } = registry({});
    const [source] = configured(formats, {
      id: 'acme',
      connector: 'acme-api',
      settings: { tenant: 't1' },
    });
    expect(source.location).toEqual({ connector: 'acme-api' });
    expect(source.format).toBe('connector:acme-api');
    expect(source.frequency.toMillis()).toBe(20 * 60_000);
    expect(source.settings).toEqual({ tenant: 't1' });
    expect(() =>
      configured(formats, { id: 'acme', connector: 'nope', settings: {} }),
    ).toThrow('nhi.discovery.sources[0].connector must be one of acme-api');
    expect(() =>
      configured(formats, {
        id: 'acme',
        connector: 'acme-api',
        path: '/tmp/x',
        settings: { tenant: 't1' },
      }),
    ).toThrow(
      'nhi.discovery.sources[0].connector reads an API: give no path or url with it',
    );
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    it('is read on its run as a file is: items screened, warnings kept, a failure keeps the last good read', async () => {
      const good = registry({ keys: ['ci', 'odd'] });
      const [source] = configured(good.formats, {
        id: 'acme',
        connector: 'acme-api',
        settings: { tenant: 't1' },
      });
      const runner = new SourceRunner(createStores(knex), {
        formats: good.formats,
      });
      await runner.register([source]);
      const first = await runner.run(source, NOW);
      expect(first).toMatchObject({ status: 'ok', rows: 2, credentials: 2 });
      expect(first.warnings.count).toBe(1);
      expect(good.seen).toEqual([
        { settings: { tenant: 't1' }, aborted: false },
      ]);

      const failing = registry({
        keys: ['ci'],
        error: 'acme API answered 503',
      });
      const failed = await new SourceRunner(createStores(knex), {
        formats: failing.formats,
      }).run(source, NOW);
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'acme: acme API answered 503',
      });
      // The last good read still lists both keys.
      const listed = await knex('nhi_discovered_credentials')
        .where({ source_id: 'acme', run_id: first.runId })
        .count({ n: '*' });
      expect(Number(listed[0].n)).toBe(2);
    });
  });
});
