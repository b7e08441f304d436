import { isRedactionMarker, redactionMarker } from './redactionMarker';

describe('isRedactionMarker', () => {
  it('knows the markers redactionMarker writes, and nothing else', () => {
    expect(
      isRedactionMarker(redactionMarker('looks like a GitHub token')),
    ).toBe(true);
    expect(isRedactionMarker(redactionMarker('a\nreason over lines'))).toBe(
      true,
    );
    for (const other of [
      '[redacted: ]',
      'redacted: x',
      ' [redacted: x]',
      3,
      undefined,
    ]) {
      expect(isRedactionMarker(other)).toBe(false);
    }
  });
});
