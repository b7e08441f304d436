import { z } from 'zod';
import { parseLenient } from './lenient';
import type { SourceWarning } from './SourceWarning';
import { oneOf, optionalTimestamp } from './values';

const schema = z.object({
  id: z.string({ error: 'must be the id' }),
  seen: optionalTimestamp(),
  tags: z.array(z.string({ error: 'must be a tag' })).optional(),
  keys: z
    .array(
      z.object({
        keyId: z.string({ error: 'must be the key id' }),
        note: z.string({ error: 'must be text' }).optional(),
      }),
    )
    .optional(),
});

function read(value: unknown) {
  const warnings: SourceWarning[] = [];
  const data = parseLenient(
    schema,
    { value, location: '$[4]' },
    'test',
    warning => warnings.push(warning),
  );
  return { data, warnings };
}

describe('parseLenient', () => {
  it('reads a clean element as it is, without a warning', () => {
    expect(read({ id: 'a', tags: ['x'] })).toEqual({
      data: { id: 'a', seen: undefined, tags: ['x'] },
      warnings: [],
    });
  });

  it('reads each odd cell as unknown or leaves out its entry, naming where it was', () => {
    const value = {
      id: 'a',
      seen: 'soon',
      tags: ['x', 1, 'y', 2],
      keys: [{ keyId: 'k1', note: 5 }, { note: 'no id' }, { keyId: 'k3' }],
    };
    const { data, warnings } = read(value);
    expect(data).toEqual({
      id: 'a',
      seen: undefined,
      tags: ['x', 'y'],
      keys: [{ keyId: 'k1' }, { keyId: 'k3' }],
    });
    expect(warnings).toEqual(
      expect.arrayContaining([
        {
          location: '$[4]',
          field: 'seen',
          reason: '"soon" is not an ISO 8601 timestamp: read as unknown',
        },
        {
          location: '$[4]',
          field: 'tags[1]',
          reason: 'must be a tag: tags[1] left out',
        },
        {
          location: '$[4]',
          field: 'tags[3]',
          reason: 'must be a tag: tags[3] left out',
        },
        {
          location: '$[4]',
          field: 'keys[0].note',
          reason: 'must be text: read as unknown',
        },
        {
          location: '$[4]',
          field: 'keys[1].keyId',
          reason: 'must be the key id: keys[1] left out',
        },
      ]),
    );
    expect(warnings).toHaveLength(5);
    // The element as the source gave it is left as it was.
    expect(value.tags).toEqual(['x', 1, 'y', 2]);
  });

  it('fails on a field the element cannot do without, naming it', () => {
    expect(() => read({ id: 3, seen: 'soon' })).toThrow(
      'test $[4].id: must be the id',
    );
  });

  it('fails on an element that is not an object at all', () => {
    expect(() => read('a string')).toThrow('test $[4]: ');
  });

  it('names a value missing from a set as missing, where it used to crash', () => {
    const kinds = z.object({ kind: oneOf(['ServiceAccount', 'Secret']) });
    expect(() =>
      parseLenient(kinds, { value: {}, location: '$.items[0]' }, 'test'),
    ).toThrow(
      'test $.items[0].kind: a missing value is not one of ServiceAccount, Secret',
    );
  });
});
