import { DISCOVERY_WARNINGS_KEPT } from '@nhi-governance/plugin-nhi-common';
import { RunWarningLog, runLogLine, storableError } from './RunWarnings';

const TOKEN = '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';

const cell = (row: number) => ({
  location: `row ${row}`,
  field: 'access_key_1_last_used_date',
  reason: 'not a date ("no_inform…"): read as unknown',
});

describe('RunWarningLog', () => {
  it('counts every warning and keeps the first ones', async () => {
    const log = new RunWarningLog();
    for (let row = 2; row < DISCOVERY_WARNINGS_KEPT + 52; row++) {
      log.warn(cell(row));
    }
    const { count, kept } = await log.result();
    expect(count).toBe(DISCOVERY_WARNINGS_KEPT + 50);
    expect(kept).toHaveLength(DISCOVERY_WARNINGS_KEPT);
    expect(kept[0]).toEqual(cell(2));
  });

  it('withholds a text of a warning that quotes secret material or a control character', async () => {
    const log = new RunWarningLog();
    log.warn({ ...cell(2), reason: `not a date ("${TOKEN}")` });
    log.warn({ ...cell(3), location: 'row 3\u0000' });
    const { kept } = await log.result();
    expect(kept).toEqual([
      {
        ...cell(2),
        reason: expect.stringMatching(/^\(withheld: it looks like a GitHub/),
      },
      {
        ...cell(3),
        location: '(withheld: it contains a NUL character (U+0000))',
      },
    ]);
    expect(JSON.stringify(kept)).not.toContain(TOKEN.slice(4, 12));
  });
});

describe('runLogLine', () => {
  it('says how a run went in one line, naming the first warnings', () => {
    const warnings = {
      count: 5,
      kept: [2, 3, 4, 5, 6].map(cell),
    };
    const named = [2, 3, 4]
      .map(
        r =>
          `row ${r} access_key_1_last_used_date: not a date ("no_inform…"): read as unknown`,
      )
      .join('; ');
    expect(runLogLine('aws-prod', { rows: 40 }, warnings)).toBe(
      `Discovery source aws-prod read 40 rows; 5 warnings: ${named}; and 2 more`,
    );
    expect(runLogLine('aws-prod', { rows: 1 }, { count: 0, kept: [] })).toBe(
      'Discovery source aws-prod read 1 row; no warnings',
    );
    expect(
      runLogLine(
        'aws-prod',
        {
          rows: 3,
          error: 'aws-prod: aws-credential-report row 1: wrong header',
        },
        { count: 0, kept: [] },
      ),
    ).toBe(
      'Discovery source aws-prod: aws-credential-report row 1: wrong header; no warnings',
    );
  });
});

describe('storableError', () => {
  it('keeps an error as it is when it quotes nothing that may not be stored', async () => {
    const error =
      'aws-credential-report row 7: has 12 columns, expected 22: the row is cut short or the file is truncated';
    expect(await storableError(error)).toBe(error);
  });

  it('withholds a quoted value that looks like secret material, keeping the rest of the error', async () => {
    const error = await storableError(
      `aws-credential-report row 7: arn "${TOKEN}" is not set`,
    );
    expect(error).toMatch(
      /^aws-credential-report row 7: arn \(a value\) is not set \(the value was withheld: it looks like a GitHub/,
    );
    expect(error).not.toContain(TOKEN.slice(4, 12));
  });

  it('withholds a control character', async () => {
    expect(await storableError('row 2: user "a\u0007b" is odd')).toBe(
      'row 2: user (a value) is odd (the value was withheld: it contains a control character (U+0007))',
    );
  });
});
