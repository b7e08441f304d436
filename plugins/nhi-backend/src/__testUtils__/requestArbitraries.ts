import fc from 'fast-check';

/**
 * fast-check generators for what a client may send the API: values that are nearly right (the
 * kind a real client sends) mixed with hostile ones (controls, lone surrogates, bidi overrides,
 * invisible-only text, odd dates, huge numbers, wrong types, deep nesting), and their encodings
 * into a query string, a path segment and a body.
 */

/** Characters each door must refuse or handle, put inside otherwise ordinary text. */
const HOSTILE_CHARACTERS = [
  '\u0000',
  '\u0000',
  '\u0000',
  '\ud800',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\r\n',
  '\t',
  'e\u0301',
  '\uffff',
  '😀',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 1 },
  {
    // Ordinary text with one character a door must refuse or handle: the likeliest attack.
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(...HOSTILE_CHARACTERS),
        fc.string({ maxLength: 8 }),
      )
      .map(([a, b, c]) => a + b + c),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u200b\u200b\u200b',
      '\u200d\u2060\ufeff',
      'x'.repeat(5000),
      '%00',
      '../../etc/passwd',
      "'; drop table nhi_ledger; --",
      '__proto__',
      'constructor',
      'group:',
      'machineidentity:default/',
      `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`,
    ),
    weight: 1,
  },
);

/**
 * A page cursor as the discovery API gives one out (base64url of JSON), around texts that may be
 * hostile: what the edge cannot see until the route decodes it.
 */
export const cursor: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom('gcp', 'aws-iam'), hostileString),
    fc.oneof(fc.string({ maxLength: 30 }), hostileString),
  )
  .map(pair => Buffer.from(JSON.stringify(pair)).toString('base64url'));

/** Dates that do not exist, years out of range, other forms, and real ones far and near. */
export const oddDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2026-02-30',
    '2027-02-29',
    '0000-01-01',
    '1969-12-31T23:59:59Z',
    '2026-02-30T10:00:00Z',
    '0000-06-01T10:00:00Z',
    '9999-12-31T23:00:00-05:00',
    '10000-01-01',
    '+010000-01-01T00:00:00Z',
    '2026-13-01',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-1-1',
    '31/12/2026',
    'now',
    '2026-W05-3',
    '2026-12-31T10:00:00.123456789+14:00',
  ),
  fc
    .date({
      min: new Date(-8.64e15),
      max: new Date(8.64e15),
      noInvalidDate: true,
    })
    .map(d => d.toISOString()),
  fc
    .date({
      min: new Date('1960-01-01'),
      max: new Date('2100-01-01'),
      noInvalidDate: true,
    })
    .map(d => d.toISOString().slice(0, 10)),
);

export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, -0, 0.5, 1e21, 2 ** 53 + 1, 1e308, -1e308),
);

/** A value nested `depth` arrays and objects deep, built without recursion. */
export function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Anything JSON can carry, hostile strings included, and values nested past the limit. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  oddDate,
  oddNumber,
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.integer({ min: 20, max: 3000 }).map(nested),
);

/**
 * How a request is built: `wellFormed`, every value what its field expects (so the request
 * reaches the services and the database), or hostile, where any value may be anything at all.
 */
export interface Mode {
  hostile: boolean;
  field<T>(wellFormed: fc.Arbitrary<T>): fc.Arbitrary<unknown>;
  /** A parameter given once. */
  queryField(wellFormed: fc.Arbitrary<string>): fc.Arbitrary<string | string[]>;
  /** A filter that may be repeated (`?owner=a&owner=b`). */
  queryList(wellFormed: fc.Arbitrary<string>): fc.Arbitrary<string | string[]>;
}

const hostileQueryValue = (
  wellFormed: fc.Arbitrary<string>,
): fc.Arbitrary<string | string[]> =>
  fc.oneof(
    { arbitrary: wellFormed, weight: 3 },
    { arbitrary: hostileString, weight: 1 },
    { arbitrary: oddDate, weight: 1 },
    { arbitrary: oddNumber.map(String), weight: 1 },
    {
      arbitrary: fc.array(fc.oneof(wellFormed, hostileString), {
        minLength: 1,
        maxLength: 3,
      }),
      weight: 1,
    },
  );

export function modeOf(hostile: boolean): Mode {
  return {
    hostile,
    field: <T>(wellFormed: fc.Arbitrary<T>) =>
      hostile
        ? fc.oneof(
            { arbitrary: wellFormed as fc.Arbitrary<unknown>, weight: 3 },
            { arbitrary: anyValue, weight: 1 },
          )
        : wellFormed,
    queryField: wellFormed =>
      hostile ? hostileQueryValue(wellFormed) : wellFormed,
    queryList: wellFormed =>
      hostile
        ? hostileQueryValue(wellFormed)
        : fc.oneof(
            { arbitrary: wellFormed, weight: 3 },
            {
              arbitrary: fc.array(wellFormed, { minLength: 1, maxLength: 2 }),
              weight: 1,
            },
          ),
  };
}

/** Prose as people write it, in any script. */
export const prose = fc.string({
  unit: 'grapheme',
  minLength: 1,
  maxLength: 60,
});

// Percent-encodes the UTF-8 bytes of a text; a lone surrogate becomes U+FFFD on the way, so raw
// bytes (below) carry what UTF-8 cannot.
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const percentEncode = (bytes: Uint8Array) =>
  Array.from(bytes, b =>
    UNRESERVED.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
export const encodeText = (text: string) =>
  percentEncode(Buffer.from(text, 'utf8'));

/** Bytes that are not UTF-8 at all: a lone surrogate's encoding, overlong forms, 0xFF. */
export const rawBytes: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%ED%A0%80', '%C0%AE', '%FF%FE', '%E2%80', '%00', '%2F', '%'),
  fc.uint8Array({ minLength: 1, maxLength: 6 }).map(percentEncode),
);

/** A path segment: the text encoded; when hostile, sometimes another text or raw bytes. */
export const pathSegment = (
  wellFormed: fc.Arbitrary<string>,
  mode: Mode,
): fc.Arbitrary<string> =>
  mode.hostile
    ? fc.oneof(
        { arbitrary: wellFormed.map(encodeText), weight: 4 },
        { arbitrary: hostileString.map(encodeText), weight: 1 },
        { arbitrary: rawBytes, weight: 1 },
      )
    : wellFormed.map(encodeText);

/** Keys a query parser makes objects of, or that poke at prototypes. */
const ODD_QUERY_KEYS = [
  '__proto__',
  'constructor[prototype][x]',
  'owner[a][b][c][d][e][f][g]',
  'limit[]',
  'a%00b',
];

/** A query string from named parameters, sometimes with an odd key or raw bytes added. */
export function queryString(
  params: Record<string, fc.Arbitrary<string | string[]>>,
  mode: Mode,
): fc.Arbitrary<string> {
  const odd = fc.tuple(
    fc.constantFrom(...ODD_QUERY_KEYS, ...Object.keys(params)),
    rawBytes,
  );
  return fc
    .tuple(
      fc.record(params, { requiredKeys: [] }),
      mode.hostile ? fc.option(odd, { freq: 3 }) : fc.constant(null),
    )
    .map(([values, oddOne]) => {
      const parts: string[] = [];
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) {
          parts.push(`${encodeText(key)}=${encodeText(v)}`);
        }
      }
      if (oddOne) parts.push(`${oddOne[0]}=${oddOne[1]}`);
      return parts.join('&');
    });
}

/** A body as the client writes it: JSON from a value, or raw text. */
export type GeneratedBody = { json: unknown } | { raw: string } | undefined;

const RAW_BODIES = [
  '{',
  '{"justification": "unterminated',
  '[]',
  '1',
  'null',
  '"text"',
  '{"a":1,"a":2}',
  '{"limit": 1e400}',
  '{"justification": "\\ud800"}',
  '{"justification": "\\u0000"}',
  `{"scope":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
];

/** A body: mostly the route's fields, sometimes another JSON value or raw text. */
export function body(
  fields: Record<string, fc.Arbitrary<unknown>>,
  mode: Mode,
): fc.Arbitrary<GeneratedBody> {
  if (!mode.hostile) {
    return fc
      .oneof(fc.record(fields), fc.record(fields, { requiredKeys: [] }))
      .map(json => ({ json }));
  }
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(
          fc.record(fields, { requiredKeys: [] }),
          fc.option(fc.tuple(hostileString, anyValue), { freq: 4 }),
        )
        .map(([value, extra]) => ({
          json: extra ? { ...value, [extra[0]]: extra[1] } : value,
        })),
      weight: 6,
    },
    { arbitrary: anyValue.map(json => ({ json })), weight: 1 },
    {
      arbitrary: fc.constantFrom(...RAW_BODIES).map(raw => ({ raw })),
      weight: 1,
    },
  );
}
