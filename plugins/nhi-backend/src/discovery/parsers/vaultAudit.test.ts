import { parseVaultAudit } from './vaultAudit';
import {
  chunked,
  collect,
  errorOf,
  failureOn,
  fixtureStream,
  fixtureText,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamText,
} from './__testUtils__/parsing';

const FIXTURE = 'vault-audit.jsonl';

describe('parseVaultAudit', () => {
  it('yields one observation per response, with who, from where and what', async () => {
    const found = await collect(parseVaultAudit(fixtureStream(FIXTURE)));
    expect(found[0]).toEqual({
      eventId: '3f1a9c2e-5b7d-4e8f-a0c1-d2e3f4a5b6c7',
      provider: 'vault',
      externalId: '7d2e5f8a-1b3c-4d6e-9f0a-2b4c6d8e0f13',
      principal: 'approle',
      occurredAt: '2026-05-07T10:15:02.532Z',
      sourceAddress: '10.20.3.14',
      action: 'database/creds/payments-writer',
      failed: false,
      errorCode: undefined,
      policies: ['default', 'payments-db-writer'],
    });
  });

  it('takes a login identity from the response, and marks errors as failed', async () => {
    const found = await collect(parseVaultAudit(chunked(fixtureText(FIXTURE))));
    expect(
      found.map(o => [o.action, o.principal, o.failed, o.errorCode]),
    ).toEqual([
      ['database/creds/payments-writer', 'approle', false, undefined],
      [
        'auth/kubernetes/login',
        'kubernetes-ci-gitlab-runner',
        false,
        undefined,
      ],
      [
        'secret/data/payments/stripe',
        'token-ci-deployer',
        true,
        'permission denied',
      ],
      ['auth/approle/login', undefined, true, 'invalid role or secret ID'],
      // The log ends before Vault answered: the request stands for the call.
      ['transit/encrypt/payments', 'approle', false, undefined],
    ]);
    expect(found[3]).toMatchObject({
      externalId: undefined,
      sourceAddress: '185.220.101.42',
    });
    expect(found[4].occurredAt).toBe('2026-05-07T10:21:12.300Z');
  });

  it('reads a line of unknown type as unknown, with a warning naming the line', async () => {
    const plain = await collect(parseVaultAudit(fixtureStream(FIXTURE)));
    const { found, warnings } = await parseEditedWithWarnings(
      parseVaultAudit,
      FIXTURE,
      '"type":"response"',
      '"type":"reply"',
    );
    expect(found).toEqual(plain);
    expect(warnings).toEqual([
      {
        location: 'line 2',
        field: 'type',
        reason: '"reply" is not one of request, response: read as unknown',
      },
    ]);
  });

  it('still fails on a line without its time, naming the line and field', async () => {
    expect(
      await failureOn(parseVaultAudit, FIXTURE, /"time":"[^"]*",/, ''),
    ).toBe('vault-audit line 1, time: must be an ISO 8601 timestamp');
  });

  it('names the line that is not JSON', async () => {
    const text = `${fixtureText(FIXTURE).slice(0, -40)}\n`;
    expect((await errorOf(parseVaultAudit(chunked(text)))).message).toMatch(
      /^vault-audit line 9: is not valid JSON \(/,
    );
  });

  it('yields requests whose response never came, holding at most 10,000', async () => {
    let sent = 0;
    async function* requests() {
      for (; sent < 10_005; sent++) {
        yield `${JSON.stringify({
          type: 'request',
          time: '2026-05-07T10:00:00Z',
          auth: { display_name: `approle-${sent}` },
          request: { id: `r-${sent}`, path: 'secret/data/x' },
        })}\n`;
      }
    }
    const seen: Array<[string | undefined, number]> = [];
    for await (const observation of parseVaultAudit(requests())) {
      seen.push([observation.principal, sent]);
    }
    expect(seen).toHaveLength(10_005);
    // The oldest leaves as the 10,001st arrives, long before the log ends.
    expect(seen[0]).toEqual(['approle-0', 10_000]);
    expect(seen[5]).toEqual(['approle-5', 10_005]);
  });
});

describe('parseVaultAudit on lines from the Vault repository', () => {
  it('reads the line the JSON audit format writes for a failed request', async () => {
    const { found, warnings } = await parseWithWarnings(
      parseVaultAudit,
      upstreamText('vault-audit/format_json_test-request.jsonl'),
    );
    expect(found).toEqual([
      {
        eventId: undefined,
        provider: 'vault',
        externalId: undefined,
        principal: 'testtoken',
        occurredAt: '2015-08-05T13:45:46.000Z',
        sourceAddress: '127.0.0.1',
        action: '/foo',
        failed: true,
        errorCode: 'this is an error',
        policies: ['root'],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('refuses a Vault 0.1 line, which has no time, naming the line and field', async () => {
    const text = upstreamText(
      'vault-audit/format_json_test-vault-0.1-no-time.jsonl',
    );
    expect((await errorOf(parseVaultAudit(chunked(text)))).message).toBe(
      'vault-audit line 1, time: must be an ISO 8601 timestamp',
    );
  });

  it('leaves out a policy name that is not one, with a warning, and reads every line', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseVaultAudit,
      FIXTURE,
      '"policies":["default","payments-db-writer"]',
      '"policies":["default",7]',
    );
    // The request line is matched by its response, which names its own policies.
    expect(found).toEqual(
      await collect(parseVaultAudit(fixtureStream(FIXTURE))),
    );
    expect(warnings).toEqual([
      {
        location: 'line 1',
        field: 'auth.policies[1]',
        reason: 'must be a policy name: auth.policies[1] left out',
      },
    ]);
  });
});
