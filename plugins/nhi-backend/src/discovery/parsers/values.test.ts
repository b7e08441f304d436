import {
  describeName,
  describeValue,
  readTimestamp,
  toIsoUtc,
  withoutQuotedInput,
} from './values';

describe('toIsoUtc', () => {
  it('reads a bare date as midnight UTC', () => {
    expect(toIsoUtc('2026-05-07')).toBe('2026-05-07T00:00:00.000Z');
    expect(toIsoUtc('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-04-31',
    '0000-01-01',
  ])(
    'reads %s, a day that does not exist or a year out of range, as no date (not a shifted one)',
    value => {
      expect(toIsoUtc(value)).toBeUndefined();
      expect(readTimestamp(value)).toBeUndefined();
    },
  );
});

describe('describeValue', () => {
  it.each([
    ['yes', '"yes"'],
    ['soon', '"soon"'],
    ['2026-02-30', '"2026-02-30"'],
    ['2026-05-07T08:01:55+00:00', '"2026-05-07T08:01:55+00:00"'],
    ['10-19-2003', '"10-19-2003"'],
    [3, '3'],
    [true, 'true'],
    [null, 'null'],
  ])('shows %p, whose shape cannot carry a secret, as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it.each([
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'a value of 40 characters'],
    ['Sup3rS3cretPassw0rd!2024', 'a value of 24 characters'],
    ['hunter2', 'a value of 7 characters'],
    ['yesterday', 'a value of 9 characters'],
    ['', 'an empty value'],
    [12345678901, 'a number of 11 characters'],
    [{ token: 'x' }, 'an object'],
    [['a', 'b'], 'a list of 2 entries'],
    [undefined, 'a missing value'],
  ])('describes %p by its type and length only, as %s', (value, described) => {
    expect(describeValue(value)).toBe(described);
  });

  it('shows a word of the format vocabulary whatever its case or length', () => {
    expect(describeValue('system_managed', ['SYSTEM_MANAGED'])).toBe(
      '"system_managed"',
    );
    expect(describeValue('serviceAccountLastAuthentication', ['x'])).toBe(
      'a value of 32 characters',
    );
  });

  it('shows a column name only in the shape the formats name columns', () => {
    expect(describeName('cert_2_expiry')).toBe('"cert_2_expiry"');
    expect(describeName('a3f9c2d6e8a1b47c05d2e9f4')).toBe(
      'a value of 24 characters',
    );
  });

  it("drops the input a JSON or CSV library's message quotes", () => {
    expect(
      withoutQuotedInput(
        `Unexpected token 'w', ..."me": wJalrXUtnF"... is not valid JSON`,
      ),
    ).toBe("Unexpected token 'w'");
    expect(
      withoutQuotedInput(
        'Invalid Opening Quote: a quote is found on field 0 at line 1, value is "Sup3rS3cret"',
      ),
    ).toBe('Invalid Opening Quote: a quote is found on field 0 at line 1');
  });
});
