import {
  TEXT_LIMITS,
  checkIsoDate,
  cleanText,
  describeValueProblems,
  isBlankText,
  screenValue,
  textProblem,
  writtenDateExists,
} from '.';

describe('textProblem and cleanText', () => {
  it.each([
    ['a\u0000b', 'contains a NUL character (U+0000)'],
    ['bell\u0007', 'contains a control character (U+0007)'],
    ['esc \u001b[31m', 'contains a control character (U+001B)'],
    ['del\u007f', 'contains a control character (U+007F)'],
    ['c1 \u0085', 'contains a control character (U+0085)'],
    [
      'half \ud800 pair',
      'contains a lone surrogate (U+D800), which is not Unicode text',
    ],
    [
      'low \udc00',
      'contains a lone surrogate (U+DC00), which is not Unicode text',
    ],
    [
      'invoice \u202Egpj.exe',
      'contains a bidirectional override (U+202E), which can make text display differently from what is stored',
    ],
    [
      'isolate \u2066x\u2069',
      'contains a bidirectional override (U+2066), which can make text display differently from what is stored',
    ],
  ])('refuses %j, naming the reason', (text, reason) => {
    expect(textProblem(text, { multiline: true })).toBe(reason);
    expect(cleanText(text, { multiline: true })).toEqual({ ok: false, reason });
  });

  it('allows line breaks and tabs only in multi-line text', () => {
    const prose = 'Still needed:\r\n\tthe nightly settlement job';
    expect(cleanText(prose, { multiline: true })).toEqual({
      ok: true,
      text: prose,
    });
    expect(textProblem(prose)).toBe(
      'contains a line break or tab (U+000D), which this field does not allow',
    );
    expect(textProblem('a\u2028b')).toMatch(/line break or tab \(U\+2028\)/);
  });

  it('keeps surrogate pairs, right-to-left text with its marks, and emoji', () => {
    for (const text of [
      'deploy 🚀 key',
      'مفتاح النشر\u200F',
      'שירות',
      '👩‍💻 bot',
    ]) {
      expect(cleanText(text)).toEqual({ ok: true, text });
    }
  });

  it('stores text in normal form C, so that one word is one string', () => {
    const decomposed = 'Cafe\u0301 payroll';
    const cleaned = cleanText(decomposed);
    expect(cleaned).toEqual({ ok: true, text: 'Caf\u00e9 payroll' });
    expect(cleaned.ok && cleaned.text).not.toBe(decomposed);
  });
});

describe('isBlankText', () => {
  it.each([
    ['', true],
    ['   \t\n', true],
    ['\u200b\u200b\u200b', true],
    ['\u200c\u200d\u2060\ufeff', true],
    ['\u00a0\u3000\u2800', true],
    ['\u00ad\u034f\ufe0f', true],
    ['\u200b ok \u200b', false],
    ['.', false],
    ['確認済み', false],
  ])('%j is blank: %s', (text, blank) => {
    expect(isBlankText(text)).toBe(blank);
  });
});

describe('checkIsoDate', () => {
  it('accepts dates and times that exist in the documented years', () => {
    for (const v of [
      '2026-02-28',
      '2028-02-29',
      '1970-01-01',
      '9999-12-31',
      '2026-12-31T23:59:59.999Z',
      '2026-06-01T10:00:00+02:00',
    ]) {
      expect(checkIsoDate(v)).toMatchObject({ ok: true });
    }
  });

  it.each([
    ['2026-02-30', 'calendar', 'must be a date that exists on the calendar'],
    ['2027-02-29', 'calendar', 'must be a date that exists on the calendar'],
    ['2026-13-01', 'calendar', 'must be a date that exists on the calendar'],
    [
      '2026-02-30T00:00:00Z',
      'calendar',
      'must be a date that exists on the calendar',
    ],
    [
      '2026-01-01T25:00:00Z',
      'calendar',
      'must be a time that exists (hours 0 to 23, minutes 0 to 59)',
    ],
    ['0000-01-01', 'range', 'must fall in the years 1970 to 9999'],
    ['1969-12-31', 'range', 'must fall in the years 1970 to 9999'],
    // Written in 9999, but in UTC it is already the year 10000.
    [
      '9999-12-31T23:00:00-05:00',
      'range',
      'must fall in the years 1970 to 9999',
    ],
    [
      '31/12/2026',
      'format',
      'must be an ISO 8601 date or time such as 2026-12-31T10:00:00Z',
    ],
    [
      '10:00',
      'format',
      'must be an ISO 8601 date or time such as 2026-12-31T10:00:00Z',
    ],
    [
      '2026-W05-3',
      'format',
      'must be an ISO 8601 date or time such as 2026-12-31T10:00:00Z',
    ],
  ])('refuses %s (%s): %s', (value, problem, reason) => {
    expect(checkIsoDate(value)).toEqual({ ok: false, problem, reason });
  });

  it('asks for the form the field needs, in its own words', () => {
    expect(checkIsoDate('2026-01-01', { time: 'required' })).toMatchObject({
      ok: false,
      problem: 'format',
    });
    expect(
      checkIsoDate('2026-01-01T00:00:00Z', {
        time: 'forbidden',
        formatMessage: 'must be a day',
      }),
    ).toEqual({ ok: false, problem: 'format', reason: 'must be a day' });
  });

  it('documents its range in TEXT_LIMITS', () => {
    expect(TEXT_LIMITS).toMatchObject({ earliestYear: 1970, latestYear: 9999 });
  });
});

describe('screenValue', () => {
  it('names the path and reason of each refused string or field name', () => {
    const result = screenValue(
      {
        justification: 'ok',
        decisions: [{ itemId: 'a\u0000' }, { note: 'x\ud800' }],
        ['bad\u0007key']: 1,
      },
      'body',
      { multiline: true },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && describeValueProblems(result.problems)).toBe(
      'body has a field name that contains a control character (U+0007); ' +
        'body.decisions[0].itemId contains a NUL character (U+0000); ' +
        'body.decisions[1].note contains a lone surrogate (U+D800), which is not Unicode text',
    );
  });

  it('refuses nesting past the limit without overflowing the stack, even 100,000 deep', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const result = screenValue(deep, 'body');
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: `body${'.a'.repeat(TEXT_LIMITS.maxDepth)}`,
          reason: 'is nested deeper than 32 levels',
        },
      ],
    });
    let ok: unknown = 'leaf';
    for (let i = 0; i < TEXT_LIMITS.maxDepth; i++) ok = [ok];
    expect(screenValue(ok, 'body').ok).toBe(true);
  });

  it('returns a copy in normal form C, keys included, and keeps other values', () => {
    const input = {
      'no\u0301m': ['e\u0301', 1, true, null],
      n: 2.5,
      // A field named __proto__ stays a field.
      ...JSON.parse('{"__proto__": {"x": "y"}}'),
    };
    const result = screenValue(input, 'body');
    expect(result.ok).toBe(true);
    const value = (result as { value: any }).value;
    expect(value).toEqual({
      nóm: ['é', 1, true, null],
      n: 2.5,
      ['__proto__']: { x: 'y' },
    });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(input['no\u0301m'][0]).toBe('e\u0301');
  });

  it('quotes a field name that would read as a path', () => {
    const result = screenValue({ events: [{ '../a.b': '\u0000' }] }, 'body');
    expect(!result.ok && result.problems[0].path).toBe(
      'body.events[0]["../a.b"]',
    );
  });

  it('refuses two field names that are one name once normalised', () => {
    const result = screenValue({ 'e\u0301': 1, é: 2 }, 'query');
    expect(!result.ok && result.problems).toEqual([
      {
        path: 'query["é"]',
        reason: 'is given twice (once in another Unicode form)',
      },
    ]);
  });

  it('lists at most ten problems', () => {
    const result = screenValue(Array(50).fill('\u0000'), 'body');
    expect(!result.ok && result.problems).toHaveLength(10);
  });
});

describe('writtenDateExists, the one calendar check', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2000-02-29T10:00:00Z', true],
    ['2026-12-31T23:59:59Z', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2026-02-30T10:00:00Z', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
  ])('%s exists: %s', (value, exists) => {
    expect(writtenDateExists(value)).toBe(exists);
    // checkIsoDate refuses exactly what it refuses, as a calendar problem.
    const checked = checkIsoDate(value);
    expect(checked.ok || checked.problem !== 'calendar').toBe(exists);
  });
});
