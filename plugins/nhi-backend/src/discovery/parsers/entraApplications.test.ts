import { parseEntraApplications } from './entraApplications';
import {
  chunked,
  collect,
  errorOf,
  failureOn,
  fixtureStream,
  fixtureText,
  leakedSecrets,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamText,
} from './__testUtils__/parsing';

describe('parseEntraApplications', () => {
  it('yields one credential per client secret and certificate, by keyId', async () => {
    const found = await collect(
      parseEntraApplications(fixtureStream('entra-applications.json')),
    );
    expect(found).toEqual([
      {
        provider: 'azure',
        externalId: 'b1f4d7e2-0a3c-4f85-9e6d-2c7b8a9f0e13',
        kind: 'client-secret',
        principal: '3c8e1f42-7a95-4d6b-b2e0-5f9a8c7d6e10',
        displayName: 'payments-settlement-batch: rotation 2026-Q1',
        active: true,
        createdAt: '2026-01-01T09:12:44.371Z',
        expiresAt: '2026-07-01T09:12:44.371Z',
      },
      {
        provider: 'azure',
        externalId: 'e5a2c9d0-6b18-4f37-a4e2-9d0c1b2a3f45',
        kind: 'client-secret',
        principal: '3c8e1f42-7a95-4d6b-b2e0-5f9a8c7d6e10',
        displayName: 'payments-settlement-batch',
        active: true,
        createdAt: '2023-12-31T23:59:59.000Z',
        expiresAt: '2025-12-31T23:59:59.000Z',
      },
      {
        provider: 'azure',
        externalId: '4d6f8a0b-2c4e-4a61-b3d5-7f9e1a2c3b4d',
        kind: 'client-certificate',
        principal: '3c8e1f42-7a95-4d6b-b2e0-5f9a8c7d6e10',
        displayName: 'payments-settlement-batch: CN=payments-settlement-batch',
        active: true,
        createdAt: '2025-03-15T00:00:00.000Z',
        expiresAt: '2027-03-15T00:00:00.000Z',
      },
    ]);
  });

  it('tells a service principal token-signing certificate from its verify key', async () => {
    const found = await collect(
      parseEntraApplications(
        chunked(fixtureText('entra-service-principals.json')),
      ),
    );
    expect(found.map(c => [c.kind, c.principal])).toEqual([
      ['client-certificate', '2b4d6f80-1a3c-4e5f-8790-a1b2c3d4e5f6'],
      ['signing-certificate', '2b4d6f80-1a3c-4e5f-8790-a1b2c3d4e5f6'],
    ]);
  });

  it('never copies secretText or the hint of a secret', async () => {
    const found = await collect(
      parseEntraApplications(fixtureStream('entra-applications.json')),
    );
    expect(
      leakedSecrets(found, [
        'Xq98Q~Fk2mR5vT8wY1zB4cE7gH0jL3nP6sU9xA2d',
        'Xq9',
        '7Rk',
      ]),
    ).toEqual([]);
  });

  it('reads an unknown key usage as unknown, with a warning naming the credential', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseEntraApplications,
      'entra-service-principals.json',
      '"Sign"',
      '"Encrypt"',
    );
    expect(found.map(c => c.kind)).toEqual([
      'client-certificate',
      'client-certificate',
    ]);
    expect(warnings).toEqual([
      {
        location: '$.value[0]',
        field: 'keyCredentials[1].usage',
        reason: '"Encrypt" is not one of Verify, Sign: read as unknown',
      },
    ]);
  });

  it('leaves out a credential without its keyId, with a warning, and reads the rest', async () => {
    const plain = await collect(
      parseEntraApplications(fixtureStream('entra-service-principals.json')),
    );
    const { found, warnings } = await parseEditedWithWarnings(
      parseEntraApplications,
      'entra-service-principals.json',
      /"keyId": "[^"]*"/,
      '"keyId": 42',
    );
    expect(found).toEqual(plain.slice(1));
    expect(warnings).toEqual([
      {
        location: '$.value[0]',
        field: 'keyCredentials[0].keyId',
        reason: 'must be the credential id: keyCredentials[0] left out',
      },
    ]);
  });

  it('still fails on an application without its appId, naming it', async () => {
    expect(
      await failureOn(
        parseEntraApplications,
        'entra-service-principals.json',
        /"appId": "[^"]*"/,
        '"appId": null',
      ),
    ).toBe(
      'entra-applications $.value[0].appId: must be the application (client) id',
    );
  });

  it('refuses a Graph response that is not a page of objects', async () => {
    const text = JSON.stringify({
      error: { code: 'Authorization_RequestDenied' },
    });
    expect((await errorOf(parseEntraApplications(chunked(text)))).message).toBe(
      'entra-applications $: must be an object whose "value" is a list',
    );
  });
});

describe('parseEntraApplications on Graph responses from upstream', () => {
  const read = (name: string) =>
    parseWithWarnings(
      parseEntraApplications,
      upstreamText(`entra-applications/${name}`),
    );

  it('reads the documented list of applications, which $select left without object ids', async () => {
    const { found, warnings } = await read('graph-docs-application-list.json');
    expect(found).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('reads the documented list of service principals', async () => {
    const { found, warnings } = await read(
      'graph-docs-serviceprincipal-list.json',
    );
    expect(found).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('reads a recorded application with a client secret, keeping neither its hint nor its text', async () => {
    const name = 'azure-cli-test_app_credential-list.json';
    const { found, warnings } = await read(name);
    expect(found).toEqual([
      {
        provider: 'azure',
        externalId: '73c912d2-fd2d-42a0-b3ae-2e45d006b8bc',
        kind: 'client-secret',
        principal: 'afb85a07-e312-4d49-b75b-9db4e2d683cd',
        displayName: 'azure-cli-test000001: key1',
        active: true,
        createdAt: '2022-05-07T06:52:43.000Z',
        expiresAt: '2024-05-07T06:52:43.000Z',
      },
    ]);
    expect(warnings).toEqual([]);
    expect(leakedSecrets(found, ['yXo', 'hint', 'secretText'])).toEqual([]);
  });
});
