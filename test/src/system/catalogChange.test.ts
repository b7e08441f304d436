import http from 'http';
import net from 'net';
import { RunningBackend, eventually, startBackend } from '../support/backend';
import { exampleIdentities } from '../support/examples';

jest.setTimeout(240_000);

/**
 * The nhi backend's scheduled refresh runs 5 s after start and then every 10 minutes. A
 * MachineIdentity added to (or changed in) the catalog after that first run must reach
 * /api/nhi within seconds all the same: the catalog module announces it on the events service
 * and the nhi backend runs its refresh early. Well under 10 minutes proves it was not the
 * schedule.
 */
const WITHIN_MS = 60_000;

const NAME = 'system-test-late-arrival';

function identityYaml(purpose: string) {
  return `apiVersion: nhi.backstage.io/v1alpha1
kind: MachineIdentity
metadata:
  name: ${NAME}
spec:
  type: api-key
  owner: group:payments
  usedBy: [component:payments-api]
  environment: staging
  provider: stripe
  externalId: sk-ref-${NAME}
  purpose: ${purpose}
  privilege: read
  credential:
    rotation: manual
    createdAt: '2026-01-10'
`;
}

describe('the governance backend follows catalog changes', () => {
  let backend: RunningBackend;
  let server: http.Server;
  let served = identityYaml('Reads balances for the late-arrival test');
  let locationUrl: string;
  const asService = (path: string, init: RequestInit = {}) =>
    backend.fetchJson(path, { ...init, token: backend.serviceToken });

  beforeAll(async () => {
    // A file the test can change, served over HTTP to the catalog as a `url` location.
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/yaml' });
      res.end(served);
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = server.address() as net.AddressInfo;
    locationUrl = `http://127.0.0.1:${port}/identity.yaml`;
    // The backend reads only URLs it is told to; the backend process inherits this variable
    // (Backstage's APP_CONFIG_ environment overrides).
    process.env.APP_CONFIG_backend_reading_allow = JSON.stringify([
      { host: `127.0.0.1:${port}` },
    ]);

    backend = await startBackend({ discovery: false });
    // The first scheduled refresh, 5 s after start: after it, only an early refresh helps.
    await eventually('the first scheduled refresh', async () => {
      const { totalItems } = await asService('/api/nhi/identities?limit=1');
      return totalItems === exampleIdentities.length ? true : undefined;
    });
  });

  afterAll(async () => {
    delete process.env.APP_CONFIG_backend_reading_allow;
    await backend?.stop();
    await new Promise(resolve => server?.close(resolve));
  });

  it('shows an identity added to the catalog within seconds, and then its change', async () => {
    const added = Date.now();
    await asService('/api/catalog/locations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'url', target: locationUrl }),
    });

    const { identity } = await eventually(
      'the new identity in /api/nhi',
      async () => {
        const { status, body } = await backend.request(
          `/api/nhi/identities/default/${NAME}`,
          { token: backend.serviceToken },
        );
        return status === 200 ? body : undefined;
      },
      WITHIN_MS,
    );
    expect(identity).toMatchObject({
      ref: `machineidentity:default/${NAME}`,
      owner: 'group:default/payments',
      purpose: 'Reads balances for the late-arrival test',
      status: expect.any(Object),
    });
    const addedAfterMs = Date.now() - added;

    // The catalog re-reads the location on its processing interval (5 s in the system tests).
    served = identityYaml('Reads balances and refunds');
    const changed = Date.now();
    await eventually(
      'the changed purpose in /api/nhi',
      async () => {
        const body = await asService(`/api/nhi/identities/default/${NAME}`);
        return body.identity.purpose === 'Reads balances and refunds'
          ? true
          : undefined;
      },
      WITHIN_MS,
    );
    const changedAfterMs = Date.now() - changed;

    // For the record in the test output: how soon, against a 10-minute schedule.
    // eslint-disable-next-line no-console
    console.log(
      `catalog → /api/nhi: added after ${addedAfterMs} ms, changed after ${changedAfterMs} ms`,
    );
  });
});
