import { parseItem, streamJsonArray, streamJsonLines } from './json';
import { chunked, collect, errorOf } from './__testUtils__/parsing';
import { z } from 'zod';

const values = async (text: string, path: string[] = []) =>
  (await collect(streamJsonArray(chunked(text), 'test', path))).map(i => [
    i.location,
    i.value,
  ]);

describe('streamJsonArray', () => {
  it('yields the elements of the list at a path, skipping everything else', async () => {
    const text = JSON.stringify({
      before: { Records: [1, 2], deep: [[{ Records: ['no'] }]] },
      Records: [{ a: 'é€😀' }, [1, [2]], 'x', null],
      after: 'ignored',
    });
    expect(await values(text, ['Records'])).toEqual([
      ['$.Records[0]', { a: 'é€😀' }],
      ['$.Records[1]', [1, [2]]],
      ['$.Records[2]', 'x'],
      ['$.Records[3]', null],
    ]);
  });

  it('reads concatenated documents one after the other', async () => {
    expect(await values('[1,2]\n[3]')).toEqual([
      ['$[0]', 1],
      ['$[1]', 2],
      ['$[2]', 3],
    ]);
  });

  it.each([
    ['', 'test $: is empty: expected a list'],
    ['"text"', 'test $: must be a list, not text'],
    ['{"Records":[]}', 'test $: must be a list, not an object'],
    [
      '[{"a":1},{"a":',
      'test $[1]: ends before the JSON is complete: the file is truncated',
    ],
    [
      '[{"a":1},{"a" 2}]',
      "test $[1]: is not valid JSON near character 14 (expected ':')",
    ],
  ])('refuses %j', async (text, message) => {
    expect(
      (await errorOf(streamJsonArray(chunked(text), 'test'))).message,
    ).toBe(message);
  });

  it('refuses a document without the list, or with something else there', async () => {
    for (const text of [
      '{"Records":{}}',
      '{"other":[]}',
      '{"Records":[]}{"x":1}',
    ]) {
      expect(
        (await errorOf(streamJsonArray(chunked(text), 'test', ['Records'])))
          .message,
      ).toBe('test $: must be an object whose "Records" is a list');
    }
  });

  it('lets errors of the input itself through unchanged', async () => {
    async function* failing() {
      yield '[1,';
      throw new Error('ECONNRESET');
    }
    expect((await errorOf(streamJsonArray(failing(), 'test'))).message).toBe(
      'ECONNRESET',
    );
  });
});

describe('streamJsonLines and parseItem', () => {
  it('numbers lines as an editor does, skipping blank ones', async () => {
    const items = await collect(
      streamJsonLines(chunked('{"a":1}\r\n\n{"a":2}'), 'test'),
    );
    expect(items).toEqual([
      { value: { a: 1 }, location: 'line 1' },
      { value: { a: 2 }, location: 'line 3' },
    ]);
  });

  it('names the exact field of a value that does not fit', () => {
    const schema = z.object({
      items: z.array(
        z.object({ 'odd key': z.string({ error: 'must be text' }) }),
      ),
    });
    expect(() =>
      parseItem(
        schema,
        { value: { items: [{ 'odd key': 1 }] }, location: '$[4]' },
        'test',
      ),
    ).toThrow('test $[4].items[0]["odd key"]: must be text');
    expect(() =>
      parseItem(schema, { value: { items: [{}] }, location: 'line 9' }, 'test'),
    ).toThrow('test line 9, items[0]["odd key"]: must be text');
  });
});
