import {
  parseGcpKeyLastAuthentication,
  parseGcpServiceAccountKeys,
} from './gcpServiceAccountKeys';
import {
  chunked,
  collect,
  errorOf,
  failureOn,
  fixtureStream,
  fixtureText,
  parseEditedWithWarnings,
  upstreamText,
} from './__testUtils__/parsing';

const KEY = (email: string, id: string) =>
  `projects/acme-data-prod/serviceAccounts/${email}@acme-data-prod.iam.gserviceaccount.com/keys/${id}`;
const ETL = KEY('etl-loader', '3f9c2d6e8a1b47c05d2e9f4a6b8c1d3e5f7a9b0c');

describe('parseGcpServiceAccountKeys', () => {
  it('yields every key with its validity, joined with its last authentication', async () => {
    const lastUsed = new Map(
      (
        await collect(
          parseGcpKeyLastAuthentication(
            fixtureStream('gcp-key-last-authentication.json'),
          ),
        )
      ).map(a => [a.externalId, a.lastUsedAt]),
    );
    const keys = await collect(
      parseGcpServiceAccountKeys(
        fixtureStream('gcp-service-account-keys.json'),
        undefined,
        { lastUsed },
      ),
    );
    expect(keys).toHaveLength(4);
    expect(keys[0]).toEqual({
      provider: 'gcp',
      externalId: ETL,
      kind: 'service-account-key',
      principal: 'etl-loader@acme-data-prod.iam.gserviceaccount.com',
      displayName:
        'etl-loader@acme-data-prod.iam.gserviceaccount.com key 5f7a9b0c',
      active: true,
      createdAt: '2025-09-14T08:21:47.000Z',
      // 9999-12-31T23:59:59Z is Google's "never expires".
      expiresAt: undefined,
      lastUsedAt: '2026-05-06T07:00:00.000Z',
      managedByProvider: false,
      disabledReason: undefined,
      findings: undefined,
    });
  });

  it('marks system-managed keys as rotated by Google', async () => {
    const [, system] = await collect(
      parseGcpServiceAccountKeys(
        fixtureStream('gcp-service-account-keys.json'),
      ),
    );
    expect(system).toMatchObject({
      managedByProvider: true,
      active: true,
      expiresAt: '2026-05-16T02:11:09.000Z',
      lastUsedAt: undefined,
    });
  });

  it('yields disabled keys as inactive with the reason, and an exposed key as leaked', async () => {
    const [, , userDisabled, exposed] = await collect(
      parseGcpServiceAccountKeys(
        chunked(fixtureText('gcp-service-account-keys.json')),
      ),
    );
    expect(userDisabled).toMatchObject({
      active: false,
      disabledReason: 'USER_INITIATED',
      findings: undefined,
    });
    expect(exposed).toMatchObject({ active: false, disabledReason: 'EXPOSED' });
    expect(exposed.findings).toEqual([
      {
        code: 'secret-leaked',
        severity: 'critical',
        detail: expect.stringContaining(
          'its private key was found exposed (EXPOSED)',
        ),
      },
    ]);
  });

  it('reads an unknown key type as unknown, with a warning naming the key, and every other key', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseGcpServiceAccountKeys,
      'gcp-service-account-keys.json',
      '"SYSTEM_MANAGED"',
      '"GOOGLE_MANAGED"',
    );
    expect(found).toHaveLength(4);
    expect(found[1].managedByProvider).toBeUndefined();
    expect(found[0].managedByProvider).toBe(false);
    expect(warnings).toEqual([
      {
        location: '$[1]',
        field: 'keyType',
        reason:
          'a value of 14 characters is not one of USER_MANAGED, SYSTEM_MANAGED: read as unknown',
      },
    ]);
  });

  it('refuses a key name that is not a key resource name', async () => {
    const text = JSON.stringify([
      {
        name: 'etl-loader@acme.iam',
        keyType: 'USER_MANAGED',
        validAfterTime: '2025-01-01T00:00:00Z',
        validBeforeTime: '9999-12-31T23:59:59Z',
      },
    ]);
    expect(
      (await errorOf(parseGcpServiceAccountKeys(chunked(text)))).message,
    ).toBe(
      'gcp-service-account-keys $[0].name: a value of 19 characters is not projects/PROJECT/serviceAccounts/EMAIL/keys/ID',
    );
  });

  it('refuses the activity of service accounts where keys were expected', async () => {
    expect(
      await failureOn(
        parseGcpKeyLastAuthentication,
        'gcp-key-last-authentication.json',
        /"serviceAccountKeyLastAuthentication"/,
        '"serviceAccountLastAuthentication"',
      ),
    ).toBe(
      'gcp-key-last-authentication $[0].activityType: a value of 32 characters is not serviceAccountKeyLastAuthentication: query with --activity-type=serviceAccountKeyLastAuthentication',
    );
  });
});

describe('parseGcpServiceAccountKeys, the REST shape and odd cells', () => {
  const FIXTURE = 'gcp-service-account-keys.json';

  it('reads the REST response { keys: [...] } as it reads the gcloud list', async () => {
    const gcloud = await collect(
      parseGcpServiceAccountKeys(fixtureStream(FIXTURE)),
    );
    const rest = `{ "keys": ${fixtureText(FIXTURE)} }`;
    expect(await collect(parseGcpServiceAccountKeys(chunked(rest)))).toEqual(
      gcloud,
    );
  });

  it('reads a bad validity time as unknown, with a warning, and every other key', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseGcpServiceAccountKeys,
      FIXTURE,
      '"2025-09-14T08:21:47Z"',
      '"last September"',
    );
    expect(found).toHaveLength(4);
    expect(found[0]).toMatchObject({ active: true, createdAt: undefined });
    expect(warnings).toEqual([
      {
        location: '$[0]',
        field: 'validAfterTime',
        reason:
          'a value of 14 characters is not an ISO 8601 timestamp: read as unknown',
      },
    ]);
  });

  it('still refuses an object without the keys list, naming both shapes', async () => {
    expect(
      (await errorOf(parseGcpServiceAccountKeys(chunked('{"accounts": []}'))))
        .message,
    ).toBe(
      'gcp-service-account-keys $: must be a list or an object whose "keys" is a list',
    );
  });
});

describe('parseGcpServiceAccountKeys on the IAM documentation example', () => {
  it('reads the keys before the one the page prints without commas, then refuses the file there', async () => {
    const text = upstreamText(
      'gcp-service-account-keys/iam-docs-service-account-monitoring-keys-list.json',
    );
    const read: string[] = [];
    const error = await errorOf(
      (async function* names() {
        for await (const key of parseGcpServiceAccountKeys(chunked(text))) {
          read.push(key.displayName!);
          yield key;
        }
      })(),
    );
    expect(read).toEqual([
      'my-service-account@my-project.iam.gserviceaccount.com key 9c3aee7c',
      'my-service-account@my-project.iam.gserviceaccount.com key 24b1fce8',
    ]);
    expect(error.message).toMatch(
      /^gcp-service-account-keys \$\.keys\[2\]: is not valid JSON near character \d+ \(/,
    );
  });

  it('reads the documented response once its missing commas are restored, the exposed key included', async () => {
    const keys = await collect(
      parseGcpServiceAccountKeys(
        chunked(
          upstreamText(
            'gcp-service-account-keys/iam-docs-service-account-monitoring-keys-list-commas-restored.json',
          ),
        ),
      ),
    );
    expect(keys.map(k => [k.displayName, k.active])).toEqual([
      [
        'my-service-account@my-project.iam.gserviceaccount.com key 9c3aee7c',
        true,
      ],
      [
        'my-service-account@my-project.iam.gserviceaccount.com key 24b1fce8',
        true,
      ],
      [
        'my-service-account@my-project.iam.gserviceaccount.com key 13e2682e',
        false,
      ],
    ]);
    expect(keys[0]).toMatchObject({
      createdAt: '2020-03-04T17:39:47.000Z',
      expiresAt: undefined,
    });
    expect(keys[2]).toMatchObject({
      disabledReason: 'EXPOSED',
      findings: [expect.objectContaining({ code: 'secret-leaked' })],
    });
  });
});
