import { z } from 'zod';
import { parseInput } from './validate';

const query = z.object({ limit: z.string().optional() }).strict();

describe('parseInput', () => {
  it('names an unknown parameter that reads as a name', () => {
    expect(() => parseInput(query, { limt: '5' }, 'query')).toThrow(
      'Invalid query: limt is not a known query parameter',
    );
  });

  it.each([
    ['a GitHub token', `ghp_${'a1B2c3D4'.repeat(5)}`],
    ['an AWS access key id of a plain name shape', 'AKIAIOSFODNN7EXAMPLE'],
    ['a long string', 'x'.repeat(200)],
    ['a name with odd characters', 'a b<script>'],
  ])('does not echo an unknown parameter named with %s', (_what, key) => {
    let message = '';
    try {
      parseInput(query, { [key]: '1' }, 'query');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Invalid query: an unknown query parameter was given');
  });
});
