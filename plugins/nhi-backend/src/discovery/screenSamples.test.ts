import { createReadStream, readdirSync } from 'fs';
import { join, relative } from 'path';
import type { SourceWarning } from './parsers/SourceWarning';
import { SourceParseError } from './parsers';
import {
  CREDENTIAL_FORMATS,
  LEAK_FORMATS,
  USAGE_FORMATS,
  formatKind,
} from './sourceFormats';
import {
  CREDENTIAL_SHAPE,
  ItemShape,
  LEAK_SHAPE,
  USAGE_SHAPE,
  screenPage,
} from './screenItems';

const FIXTURES = join(__dirname, '__fixtures__');

/** Our samples not named after their format. */
const OUR_SAMPLES: Record<string, string> = {
  'kubernetes-serviceaccounts-secrets': 'kubernetes-service-accounts',
  'entra-service-principals': 'entra-applications',
  'gitleaks-report': 'gitleaks',
};

/** Each sample, ours named after its format, the upstream ones in a folder of their format. */
const samples: Array<[format: string, file: string]> = [
  ...readdirSync(FIXTURES)
    .filter(f => /\.(json|jsonl|csv)$/.test(f))
    .map(
      f => [f.replace(/\.[a-z]+$/, ''), join(FIXTURES, f)] as [string, string],
    )
    .map(
      ([name, file]) => [OUR_SAMPLES[name] ?? name, file] as [string, string],
    ),
  ...readdirSync(join(FIXTURES, 'upstream'), { withFileTypes: true })
    .filter(d => d.isDirectory())
    .flatMap(d =>
      readdirSync(join(FIXTURES, 'upstream', d.name))
        .filter(f => /\.(json|jsonl|csv)$/.test(f))
        .map(
          f =>
            [d.name, join(FIXTURES, 'upstream', d.name, f)] as [string, string],
        ),
    ),
].filter(
  ([format]) =>
    format in CREDENTIAL_FORMATS ||
    format in USAGE_FORMATS ||
    format in LEAK_FORMATS,
);

const SHAPES = {
  credentials: CREDENTIAL_SHAPE,
  usage: USAGE_SHAPE,
  leaks: LEAK_SHAPE,
} as Record<string, ItemShape<object>>;

const parserOf = (format: string) =>
  (CREDENTIAL_FORMATS[format]?.parse ??
    USAGE_FORMATS[format] ??
    LEAK_FORMATS[format]) as (
    input: NodeJS.ReadableStream,
    warn: (w: SourceWarning) => void,
  ) => AsyncIterable<object>;

describe('the screen on real samples', () => {
  it('finds samples of every kind', () => {
    expect(new Set(samples.map(([format]) => formatKind(format)))).toEqual(
      new Set(['credentials', 'usage', 'leaks']),
    );
  });

  it.each(samples.map(([format, file]) => [format, relative(FIXTURES, file)]))(
    'refuses nothing the %s sample %s holds',
    async (format, name) => {
      const file = join(FIXTURES, name);
      const items: object[] = [];
      try {
        for await (const item of parserOf(format)(
          createReadStream(file) as any,
          () => {},
        )) {
          items.push(item);
        }
      } catch (e) {
        // A sample the parser refuses as a whole never reaches the screen.
        if (e instanceof SourceParseError) return;
        throw e;
      }
      const warnings: SourceWarning[] = [];
      await screenPage(items, 1, SHAPES[formatKind(format)], w =>
        warnings.push(w),
      );
      expect(warnings).toEqual([]);
    },
  );
});
