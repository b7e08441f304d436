import { canonicalJson } from './canonicalJson';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }),
    ).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text for the same value however it was built', () => {
    const one = { kind: 'rotated', at: '2026-11-01', count: 2 };
    const two = JSON.parse('{"count":2,"at":"2026-11-01","kind":"rotated"}');
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'a"b': 'line\nbreak é' })).toBe(
      '{"a\\"b":"line\\nbreak é"}',
    );
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow('non-finite number');
  });
});
