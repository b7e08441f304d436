import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { Knex } from 'knex';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  ReviewBackend,
  identityEntity,
  startReviewBackend,
} from '../__testUtils__/reviewBackend';
import { computeStatus } from '../engine/computeStatus';
import { withSourceDates } from '../engine/sourceDates';
import { DEFAULT_POLICY } from '../policy/Policy';
import { buildFacts } from '../status/buildFacts';
import {
  AWS_CREDENTIAL_REPORT_COLUMNS,
  parseAwsCredentialReport,
} from './parsers/awsCredentialReport';
import {
  chunked,
  collect,
  upstreamText,
} from './parsers/__testUtils__/parsing';
import { toDiscoveredRecord } from './reconcile/discoveredIdentity';
import { SourceFactsBuilder } from './reconcile/sourceFacts';

jest.setTimeout(180_000);

/**
 * The CIS AWS Foundations key checks against Prowler's. Prowler's five checks are ported
 * below, line for line, from prowler-cloud/prowler at commit
 * 3e000faa3109230b748e4418a13c11c9e59f5cfb,
 * prowler/providers/aws/services/iam/<check>/<check>.py, with their thresholds:
 *
 * - iam_user_accesskey_unused: an active key whose last use is not N/A and is more than 45
 *   whole days ago (`timedelta.days > 45`, audit_config max_unused_access_keys_days = 45);
 * - iam_user_two_active_access_key: access_key_1_active and access_key_2_active both true;
 * - iam_rotate_access_key_90_days: an active key whose last_rotated is not N/A and more than
 *   90 whole days ago (`timedelta.days > 90`);
 * - iam_no_root_access_key: the root user with access_key_1_active or access_key_2_active true
 *   (only reported when the root has a password or an active key);
 * - iam_avoid_root_usage: the root user's password_last_used if it is not no_information,
 *   else access key 1's last use, else key 2's, 1 whole day ago or less (`days <= 1`).
 *
 * One report, written relative to the clock as Prowler reads it, goes through the real
 * backend on each database; the table says what each side fails, and every place where they
 * differ is a deliberate difference documented in docs/cis-aws-prowler.md.
 */

type ReportRow = Record<(typeof AWS_CREDENTIAL_REPORT_COLUMNS)[number], string>;

const DAY = 86_400_000;
/** Python's `timedelta.days`: whole days, rounded down (towards minus infinity). */
const pythonDays = (now: number, at: string) =>
  Math.floor((now - Date.parse(at)) / DAY);
/** dateutil's parser.parse raises on what is not a date, and the check with it. */
const pythonParse = (value: string) => {
  if (Number.isNaN(Date.parse(value))) {
    throw new Error(`ParserError: Unknown string format: ${value}`);
  }
  return value;
};
const KEYS = [1, 2] as const;

/** Prowler's checks: what each FAILs, as `user#access_key_N` for keys and `user` for users. */
const PROWLER = {
  iam_user_accesskey_unused: (rows: ReportRow[], now: number) =>
    rows.flatMap(user =>
      KEYS.flatMap(n =>
        user[`access_key_${n}_active`] === 'true' &&
        user[`access_key_${n}_last_used_date`] !== 'N/A' &&
        pythonDays(now, pythonParse(user[`access_key_${n}_last_used_date`])) >
          45
          ? [`${user.user}#access_key_${n}`]
          : [],
      ),
    ),
  iam_user_two_active_access_key: (rows: ReportRow[]) =>
    rows
      .filter(
        u =>
          u.access_key_1_active === 'true' && u.access_key_2_active === 'true',
      )
      .map(u => u.user),
  iam_rotate_access_key_90_days: (rows: ReportRow[], now: number) =>
    rows.flatMap(user =>
      KEYS.flatMap(n =>
        user[`access_key_${n}_last_rotated`] !== 'N/A' &&
        user[`access_key_${n}_active`] === 'true' &&
        pythonDays(now, pythonParse(user[`access_key_${n}_last_rotated`])) > 90
          ? [`${user.user}#access_key_${n}`]
          : [],
      ),
    ),
  iam_no_root_access_key: (rows: ReportRow[]) =>
    rows
      .filter(
        u =>
          u.user === '<root_account>' &&
          (u.access_key_1_active === 'true' ||
            u.access_key_2_active === 'true'),
      )
      .map(u => u.user),
  iam_avoid_root_usage: (rows: ReportRow[], now: number) =>
    rows
      .filter(u => u.user === '<root_account>')
      .filter(u => {
        let used: string | undefined;
        if (u.password_last_used !== 'no_information') {
          used = u.password_last_used;
        } else if (u.access_key_1_last_used_date !== 'N/A') {
          used = u.access_key_1_last_used_date;
        } else if (u.access_key_2_last_used_date !== 'N/A') {
          used = u.access_key_2_last_used_date;
        }
        return used !== undefined && pythonDays(now, pythonParse(used)) <= 1;
      })
      .map(u => u.user),
};

type Check = keyof typeof PROWLER;

/** Our finding for each of Prowler's checks, and whether it is about keys or users. */
const OURS: Record<Check, { code: string; per: 'key' | 'user'; cis: string }> =
  {
    iam_user_accesskey_unused: {
      code: 'access-key-unused',
      per: 'key',
      cis: '1.12',
    },
    iam_user_two_active_access_key: {
      code: 'multiple-active-keys',
      per: 'user',
      cis: '1.13',
    },
    iam_rotate_access_key_90_days: {
      code: 'access-key-not-rotated',
      per: 'key',
      cis: '1.14',
    },
    iam_no_root_access_key: {
      code: 'root-access-key',
      per: 'user',
      cis: '1.4',
    },
    iam_avoid_root_usage: {
      code: 'root-account-used',
      per: 'user',
      cis: '1.7',
    },
  };

/**
 * The table: what Prowler fails, what we raise, and why they differ where they do. Each
 * difference is one of docs/cis-aws-prowler.md.
 */
const TABLE: Record<
  Check,
  { prowler: string[]; ours: string[]; differences: Record<string, string> }
> = {
  iam_user_accesskey_unused: {
    prowler: ['stale-reader#access_key_1'],
    ours: [
      'boundary-45#access_key_1',
      'never-used-old#access_key_1',
      'stale-reader#access_key_1',
    ],
    differences: {
      'boundary-45#access_key_1':
        'CIS says 45 days or more; Prowler fails from 46 whole days',
      'never-used-old#access_key_1':
        'a key never used is unused since its creation; Prowler skips N/A',
    },
  },
  iam_user_two_active_access_key: {
    prowler: ['boundary-rotation', 'deploy-bot'],
    ours: ['boundary-rotation', 'deploy-bot'],
    differences: {},
  },
  iam_rotate_access_key_90_days: {
    prowler: [
      '<root_account>#access_key_1',
      'boundary-rotation#access_key_2',
      'deploy-bot#access_key_1',
      'never-used-old#access_key_1',
      'stale-reader#access_key_1',
    ],
    ours: [
      '<root_account>#access_key_1',
      'boundary-rotation#access_key_2',
      'deploy-bot#access_key_1',
      'never-used-old#access_key_1',
      'stale-reader#access_key_1',
    ],
    differences: {},
  },
  iam_no_root_access_key: {
    prowler: ['<root_account>'],
    ours: ['<root_account>'],
    differences: {},
  },
  iam_avoid_root_usage: {
    prowler: ['<root_account>'],
    ours: ['<root_account>'],
    differences: {},
  },
};

const ACCOUNT = 'arn:aws:iam::210987654321:';
const HEADER = AWS_CREDENTIAL_REPORT_COLUMNS.join(',');

/** A report as AWS writes it, `ago` in days before `now` (fractions for hours). */
function reportAt(now: number) {
  const ago = (days: number) =>
    new Date(now - days * DAY).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const none = ['N/A', 'N/A', 'N/A', 'N/A'];
  const noKey = ['false', ...none];
  const key = (
    active: boolean,
    createdDaysAgo: number,
    usedDaysAgo?: number,
    where = ['eu-west-1', 's3'],
  ) => [
    String(active),
    ago(createdDaysAgo),
    ...(usedDaysAgo === undefined
      ? ['N/A', 'N/A', 'N/A']
      : [ago(usedDaysAgo), ...where]),
  ];
  const noCerts = ['false', 'N/A', 'false', 'N/A'];
  const user = (
    name: string,
    createdDaysAgo: number,
    password: string[],
    key1: string[],
    key2: string[],
    certs = noCerts,
  ) =>
    [
      name,
      name === '<root_account>' ? `${ACCOUNT}root` : `${ACCOUNT}user/${name}`,
      ago(createdDaysAgo),
      ...password,
      ...key1,
      ...key2,
      ...certs,
    ].join(',');
  const noPassword = ['false', 'N/A', 'N/A', 'N/A', 'false'];
  const rows = [
    // The root: a key made 400 days ago, used 2 days ago; an old key deactivated; the
    // password used 5 hours ago.
    user(
      '<root_account>',
      2000,
      ['not_supported', ago(5 / 24), 'not_supported', 'not_supported', 'true'],
      key(true, 400, 2, ['us-east-1', 'iam']),
      key(false, 500),
    ),
    // Declared by its user ARN: one identity holding two active keys, one of them 10 days old.
    user('deploy-bot', 700, noPassword, key(true, 200, 1), key(true, 10)),
    // A key made 10 days ago and never used: too new to be called never used.
    user('new-service', 12, noPassword, key(true, 10), noKey),
    user('stale-reader', 900, noPassword, key(true, 300, 60), noKey),
    user('boundary-45', 300, noPassword, key(true, 80, 45 + 2 / 24), noKey),
    user('never-used-old', 300, noPassword, key(true, 100), noKey),
    user(
      'boundary-rotation',
      900,
      noPassword,
      key(true, 90 + 2 / 24, 1),
      key(true, 91 + 2 / 24, 1),
    ),
    // Deactivated a long time ago and never deleted.
    user('disabled-old', 900, noPassword, key(false, 400, 300), noKey),
    // A SOAP signer: a certificate, for which the report has no usage column.
    user('soap-signer', 900, noPassword, noKey, noKey, [
      'true',
      ago(200),
      'false',
      'N/A',
    ]),
    // A person with a console password and no key.
    user(
      'alice',
      800,
      ['true', ago(0.5), ago(30), 'N/A', 'true'],
      noKey,
      noKey,
    ),
  ];
  return `${HEADER}\n${rows.join('\n')}\n`;
}

const readRows = (report: string): ReportRow[] =>
  parse(report, { columns: true });

describe('CIS AWS key checks agree with Prowler on one credential report', () => {
  const databases = createTestDatabases();
  const now = Date.now();
  const report = reportAt(now);
  const rows = readRows(report);
  const userOf = new Map(rows.map(r => [r.arn, r.user] as const));
  /** `arn:…:user/x#access_key_1` as `x#access_key_1`. */
  const keyName = (externalId: string) => {
    const [arn, slot] = externalId.split('#');
    return `${userOf.get(arn)}#${slot}`;
  };

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  it("ports Prowler's checks to what the table says Prowler fails", () => {
    for (const check of Object.keys(PROWLER) as Check[]) {
      expect({ check, fails: PROWLER[check](rows, now).sort() }).toEqual({
        check,
        fails: TABLE[check].prowler,
      });
      // Every place where we differ is listed as deliberate, and nothing else.
      const { prowler, ours, differences } = TABLE[check];
      const differ = [
        ...prowler.filter(p => !ours.includes(p)),
        ...ours.filter(o => !prowler.includes(o)),
      ].sort();
      expect({ check, differ }).toEqual({
        check,
        differ: Object.keys(differences).sort(),
      });
    }
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;
    let identities: any[];
    let read: any;
    const file = join(mkdtempSync(join(tmpdir(), 'nhi-cis-')), 'report.csv');
    const codes = (i: any) => i.status.findings.map((f: any) => f.code);
    const named = (name: string) =>
      identities.find(
        i =>
          i.externalId === `${ACCOUNT}user/${name}` ||
          i.externalId?.startsWith(`${ACCOUNT}user/${name}#`),
      );

    beforeAll(async () => {
      writeFileSync(file, report);
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(
        knex,
        [
          identityEntity('deploy-bot', {
            provider: 'aws-iam',
            externalId: `${ACCOUNT}user/deploy-bot`,
          }),
        ],
        {
          discovery: {
            sources: [
              {
                id: 'aws',
                format: 'aws-credential-report',
                path: file,
                authoritativeFor: [ACCOUNT],
              },
            ],
          },
        },
      );
      await backend.refresh();
      const run = await backend.post(
        '/discovery/sources/aws/run',
        {},
        'user:default/sam',
      );
      read = run.body;
      const res = await backend.get(
        '/identities?limit=500',
        'user:default/sam',
      );
      identities = res.body.items;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('reads the report whole, with no warning', () => {
      expect(read).toMatchObject({ status: 'ok', warningCount: 0 });
    });

    it.each(Object.keys(OURS) as Check[])(
      'raises for %s what the table says, with the CIS id and its controls',
      check => {
        const { code, per, cis } = OURS[check];
        const raised = identities.flatMap(i =>
          (i.status?.findings ?? [])
            .filter((f: any) => f.code === code)
            .map((f: any) => ({ identity: i, finding: f })),
        );
        const failing = raised.flatMap(({ identity, finding }) => {
          expect(finding.evidence.cis).toBe(`CIS AWS Foundations ${cis}`);
          expect(finding.controls.soc2.length).toBeGreaterThan(0);
          if (per === 'key') {
            return finding.evidence.keys.map((k: string) =>
              keyName(k.split(': ')[0]),
            );
          }
          return [userOf.get(identity.externalId.split('#')[0])];
        });
        expect([...new Set(failing)].sort()).toEqual(TABLE[check].ours);
      },
    );

    it('holds two keys of one user in one declared identity, and judges each key', () => {
      const bot = named('deploy-bot');
      expect(bot.ref).toBe('machineidentity:default/deploy-bot');
      expect(codes(bot)).toEqual(
        expect.arrayContaining([
          'multiple-active-keys',
          'access-key-not-rotated',
        ]),
      );
      expect(codes(bot)).not.toContain('access-key-unused');
    });

    it('does not call a key made 10 days ago never used: the grace period runs from its creation', () => {
      const fresh = named('new-service');
      expect(fresh.status.usage.status).toBe('no-usage-data');
      expect(codes(fresh)).not.toContain('never-used');
      // Once the grace period is over, a key never used is.
      expect(codes(named('never-used-old'))).toContain('never-used');
    });

    it('finds an inactive key neither overdue nor dormant nor never used: a low finding at most', () => {
      const disabled = named('disabled-old');
      expect(disabled.status.rotation.status).toBe('exempt');
      expect(disabled.status.usage.status).toBe('no-usage-data');
      expect(
        disabled.status.findings.map((f: any) => [f.code, f.severity]),
      ).toEqual([['inactive-key', 'low']]);
      const rootOld = identities.find(
        i => i.externalId === `${ACCOUNT}root#access_key_2`,
      );
      expect(codes(rootOld)).not.toContain('root-access-key');
      expect(codes(rootOld)).toContain('inactive-key');
      expect(codes(rootOld)).not.toContain('rotation-overdue');
    });

    it('gives a certificate no usage verdict: the report has no usage column for it', () => {
      const cert = named('soap-signer');
      expect(cert.type).toBe('certificate');
      expect(cert.status.usage.status).toBe('no-usage-data');
      expect(codes(cert)).not.toContain('never-used');
      expect(codes(cert)).not.toContain('dormant');
    });

    it('makes no identity of a person with only a password', () => {
      expect(named('alice')).toBeUndefined();
    });
  });
});

/** The report through the parser, the source facts and the engine, as the backend does it. */
async function judge(report: string, now: DateTime) {
  const found: DiscoveredCredential[] = await collect(
    parseAwsCredentialReport(chunked(report)),
  );
  return found.map(c => {
    const facts = {
      ...new SourceFactsBuilder({
        sourceId: 'aws',
        format: 'aws-credential-report',
        readAt: now.toISO()!,
        reportsUsage: true,
      })
        .add(c)
        .build(),
      discovered: true,
    };
    const record = toDiscoveredRecord(c, 'aws');
    const identityFacts = buildFacts(
      record,
      { existingOwners: new Set(), entityStates: new Map() },
      undefined,
      {},
      undefined,
      new Set(),
      DEFAULT_POLICY,
      {},
      [facts],
    );
    const status = computeStatus(
      withSourceDates(record, [facts]),
      identityFacts,
      DEFAULT_POLICY,
      now,
    );
    return {
      externalId: c.externalId,
      codes: status.findings.map(f => f.code),
      findings: status.findings,
    };
  });
}

describe('the upstream report (guardian/security-hq)', () => {
  it('fails the same keys and users as Prowler, every check', async () => {
    const report = upstreamText('aws-credential-report/security-hq-report.csv');
    const rows = readRows(report);
    const now = Date.now();
    const userOf = new Map(rows.map(r => [r.arn, r.user] as const));
    const judged = await judge(
      report,
      DateTime.fromMillis(now, { zone: 'utc' }),
    );
    for (const check of Object.keys(PROWLER) as Check[]) {
      const { code, per } = OURS[check];
      const ours = judged.flatMap(j => {
        const finding = j.findings.find(f => f.code === code);
        if (!finding) return [];
        const [arn, slot] = j.externalId.split('#');
        return per === 'key'
          ? [`${userOf.get(arn)}#${slot}`]
          : [userOf.get(arn)!];
      });
      expect({ check, fails: [...new Set(ours)].sort() }).toEqual({
        check,
        fails: PROWLER[check](rows, now).sort(),
      });
    }
    // Old enough that both find something: three keys unused and unrotated since 2017.
    expect(PROWLER.iam_user_accesskey_unused(rows, now)).toHaveLength(3);
  });
});

describe('where we differ from Prowler on purpose (docs/cis-aws-prowler.md)', () => {
  const now = Date.now();
  const at = DateTime.fromMillis(now, { zone: 'utc' });
  const ago = (days: number) =>
    new Date(now - days * DAY).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const root = (
    password: string,
    key1: string,
    key2 = 'false,N/A,N/A,N/A,N/A',
  ) =>
    `${HEADER}\n<root_account>,${ACCOUNT}root,${ago(
      2000,
    )},not_supported,${password},not_supported,not_supported,true,${key1},${key2},false,N/A,false,N/A\n`;

  it('a root user with no key or certificate, used an hour ago: Prowler fails it, we have no machine identity to raise it on', async () => {
    const report = root(ago(1 / 24), 'false,N/A,N/A,N/A,N/A');
    expect(PROWLER.iam_avoid_root_usage(readRows(report), now)).toEqual([
      '<root_account>',
    ]);
    expect(await judge(report, at)).toEqual([]);
  });

  it("root used by a key 3 hours ago, by its password 30 days ago: Prowler reads only the password's date and passes it, we fail it", async () => {
    const report = root(
      ago(30),
      `true,${ago(60)},${ago(3 / 24)},us-east-1,iam`,
    );
    expect(PROWLER.iam_avoid_root_usage(readRows(report), now)).toEqual([]);
    const [key] = await judge(report, at);
    expect(key.codes).toContain('root-account-used');
  });

  it('an inactive root key: both pass the root-key check; we add only the low inactive-key finding', async () => {
    const report = root(
      'no_information',
      `false,${ago(60)},${ago(50)},us-east-1,iam`,
    );
    expect(PROWLER.iam_no_root_access_key(readRows(report))).toEqual([]);
    const [key] = await judge(report, at);
    expect(key.codes).not.toContain('root-access-key');
    expect(key.codes).toContain('inactive-key');
  });

  it("no_information as a key's last use: Prowler's unused check fails to parse it and reports nobody; we judge every other key", async () => {
    const report = `${HEADER}\n${[
      `no-info,${ACCOUNT}user/no-info,${ago(
        900,
      )},false,N/A,N/A,N/A,false,true,${ago(
        200,
      )},no_information,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
      `stale,${ACCOUNT}user/stale,${ago(
        900,
      )},false,N/A,N/A,N/A,false,true,${ago(200)},${ago(
        100,
      )},eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    ].join('\n')}\n`;
    expect(() =>
      PROWLER.iam_user_accesskey_unused(readRows(report), now),
    ).toThrow(/ParserError/);
    const judged = await judge(report, at);
    expect(
      judged.map(j => [j.externalId, j.codes.includes('access-key-unused')]),
    ).toEqual([
      [`${ACCOUNT}user/no-info#access_key_1`, false],
      [`${ACCOUNT}user/stale#access_key_1`, true],
    ]);
    // Its usage is unknown, not never: no never-used or dormant verdict either.
    expect(judged[0].codes).not.toContain('never-used');
    expect(judged[0].codes).toContain('access-key-not-rotated');
  });
});

/** The report's credentials of one user as one identity, as a declared user identity is judged. */
async function judgeUser(report: string, now: DateTime) {
  const found: DiscoveredCredential[] = await collect(
    parseAwsCredentialReport(chunked(report)),
  );
  const builder = new SourceFactsBuilder({
    sourceId: 'aws',
    format: 'aws-credential-report',
    readAt: now.toISO()!,
    reportsUsage: true,
  });
  for (const c of found) builder.add(c);
  const facts = { ...builder.build(), discovered: true };
  const record = toDiscoveredRecord(found.find(c => c.active)!, 'aws');
  const identityFacts = buildFacts(
    record,
    { existingOwners: new Set(), entityStates: new Map() },
    undefined,
    {},
    undefined,
    new Set(),
    DEFAULT_POLICY,
    {},
    [facts],
  );
  const judged = withSourceDates(record, [facts]);
  return {
    createdAt: judged.credential.createdAt,
    status: computeStatus(judged, identityFacts, DEFAULT_POLICY, now),
  };
}

describe('a user with an old inactive key and a new active one', () => {
  const now = Date.now();
  const at = DateTime.fromMillis(now, { zone: 'utc' });
  const ago = (days: number) =>
    new Date(now - days * DAY).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const user = (key1: string, key2: string) =>
    `${HEADER}\nrotated-bot,${ACCOUNT}user/rotated-bot,${ago(
      800,
    )},false,N/A,N/A,N/A,false,${key1},${key2},false,N/A,false,N/A\n`;

  it('dates the identity by its active key: made 10 days ago and never used, it is in its grace period', async () => {
    const { createdAt, status } = await judgeUser(
      user(
        `false,${ago(730)},${ago(400)},us-east-1,s3`,
        `true,${ago(10)},N/A,N/A,N/A`,
      ),
      at,
    );
    expect(createdAt).toBe(
      new Date(now - 10 * DAY).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
    );
    expect(status.usage.status).toBe('no-usage-data');
    expect(status.findings.map(f => f.code)).not.toContain('never-used');
    expect(status.findings.map(f => f.code)).not.toContain('dormant');
    expect(status.findings.map(f => f.code)).toContain('inactive-key');
  });

  it('still calls the active key never used once its own grace period is over, whatever the old key did', async () => {
    const { status } = await judgeUser(
      user(
        `false,${ago(730)},${ago(2)},us-east-1,s3`,
        `true,${ago(40)},N/A,N/A,N/A`,
      ),
      at,
    );
    expect(status.findings.map(f => f.code)).toContain('never-used');
  });
});
