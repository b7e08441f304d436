import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { z } from 'zod';
import { SourceFormatRegistry } from './sourceFormats';
import { readDiscoverySources } from './sourceSettings';

async function* nothing() {}

const withExtra = () => {
  const formats = SourceFormatRegistry.withBuiltIns();
  formats.addSourceFormat({
    name: 'acme-keys',
    kind: 'credentials',
    provider: 'aws',
    reportsUsage: false,
    parse: nothing,
    settingsSchema: z.strictObject({
      accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
    }),
  });
  return formats;
};

const sources = (formats: SourceFormatRegistry, list: JsonObject[]) =>
  readDiscoverySources(
    new ConfigReader({ nhi: { discovery: { sources: list } } }),
    formats,
  );

describe('SourceFormatRegistry', () => {
  it('refuses a name taken by a built-in, naming it', () => {
    expect(() =>
      SourceFormatRegistry.withBuiltIns().addSourceFormat({
        name: 'gitleaks',
        kind: 'leaks',
        parse: nothing,
      }),
    ).toThrow(
      'Discovery source format "gitleaks": the name is already registered',
    );
  });

  it("lets a source name a module's format, with its settings checked by the format's schema", () => {
    const formats = withExtra();
    expect(formats.kind('acme-keys')).toBe('credentials');
    const [source] = sources(formats, [
      {
        id: 'acme',
        format: 'acme-keys',
        path: '/tmp/keys.jsonl',
        settings: { accountId: '123456789012' },
        authoritativeFor: ['arn:aws:iam::123456789012:user/'],
      },
    ]);
    expect(source.settings).toEqual({ accountId: '123456789012' });
    expect(() =>
      sources(formats, [
        {
          id: 'acme',
          format: 'acme-keys',
          path: '/tmp/keys.jsonl',
          settings: { accountId: 'x' },
        },
      ]),
    ).toThrow(
      'nhi.discovery.sources[0].settings.accountId must be a 12-digit account id',
    );
  });

  it('refuses settings on a format that takes none, and a format nobody registered', () => {
    expect(() =>
      sources(withExtra(), [
        {
          id: 'g',
          format: 'gitleaks',
          path: '/tmp/g.json',
          settings: { a: 1 },
        },
      ]),
    ).toThrow(
      'nhi.discovery.sources[0].settings are not taken by the gitleaks format',
    );
    expect(() =>
      sources(SourceFormatRegistry.withBuiltIns(), [
        { id: 'acme', format: 'acme-keys', path: '/tmp/keys.jsonl' },
      ]),
    ).toThrow(
      /^nhi\.discovery\.sources\[0\]\.format must be one of aws-credential-report, /,
    );
  });
});
