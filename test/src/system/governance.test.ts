import { createPublicKey, generateKeyPairSync } from 'crypto';
import {
  readPackageFiles,
  verifyCheckpoint,
  verifyPackage,
} from '@nhi-governance/nhi-evidence';
import {
  RunningBackend,
  eventually,
  ledgerSigningKey,
  startBackend,
} from '../support/backend';
import { exampleIdentities } from '../support/examples';

jest.setTimeout(240_000);

/** The problems seeded in examples/identities.yaml, and the finding each must raise. */
const SEEDED: Array<[string, string]> = [
  ['legacy-ftp-sync-key', 'rotation-overdue'],
  ['payments-edge-tls', 'expired'],
  ['partner-webhook-signer', 'owner-orphaned'],
  ['shared-analytics-api-key', 'shared'],
  ['orders-queue-consumer', 'environment-mixing'],
  ['orders-queue-consumer-staging', 'environment-mixing'],
  ['ci-deployer-admin', 'overprivileged'],
  ['growth-experiments-key', 'unapproved'],
  ['legacy-billing-export', 'offboarding'],
];

describe('the governance backend on the example organisation', () => {
  let backend: RunningBackend;
  // Org-wide reads go through a backend service token; the guest is an ordinary owner.
  const details = (name: string) =>
    backend.fetchJson(`/api/nhi/identities/default/${name}`, {
      token: backend.serviceToken,
    });
  const asService = (path: string) =>
    backend.fetchJson(path, { token: backend.serviceToken });

  beforeAll(async () => {
    backend = await startBackend({ discovery: false });
    // The scheduled refresh syncs the catalog and computes every status shortly after start.
    await eventually('every example identity to have a status', async () => {
      const { items, totalItems } = await asService(
        '/api/nhi/identities?limit=500',
      );
      return totalItems === exampleIdentities.length &&
        items.every((i: any) => i.status)
        ? true
        : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it.each(SEEDED)('flags %s with %s', async (name, code) => {
    const { identity } = await details(name);
    const finding = identity.status.findings.find((f: any) => f.code === code);
    expect(finding).toMatchObject({
      code,
      explanation: expect.any(String),
      remediation: expect.any(String),
      controls: {
        soc2: expect.arrayContaining([expect.stringMatching(/^CC/)]),
      },
    });
  });

  it('explains an overdue rotation with its dates', async () => {
    const { identity } = await details('legacy-ftp-sync-key');
    expect(identity.status.rotation).toMatchObject({
      status: 'overdue',
      lastRotatedAt: '2023-02-14',
      periodDays: expect.any(Number),
    });
  });

  // Dates in the examples are fixed while the clock moves on, so only problems that do not
  // depend on today's date are asserted absent.
  it('raises none of the structural findings on the healthy reference identity', async () => {
    const { identity } = await details('support-triage-agent');
    const codes = identity.status.findings.map((f: any) => f.code);
    for (const [, code] of SEEDED.filter(
      ([, c]) => c !== 'rotation-overdue' && c !== 'expired',
    )) {
      expect(codes).not.toContain(code);
    }
    expect(codes).toContain('unmonitored');
  });

  it("lists a component's identities the same way the catalog relates them", async () => {
    const { items } = await asService(
      '/api/nhi/identities?usedBy=component:default/payments-api&sort=name&order=asc',
    );
    const expected = exampleIdentities
      .filter(i =>
        (i.spec.usedBy ?? []).some((u: string) => u.endsWith('payments-api')),
      )
      .map(i => `machineidentity:default/${i.metadata.name}`)
      .sort();
    expect(items.map((i: any) => i.ref)).toEqual(expected);
  });

  it('records every registration and finding in a ledger that verifies', async () => {
    const { identity, ledger } = await details('partner-webhook-signer');
    expect(ledger.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining(['identity.registered', 'status.changed']),
    );
    // Each finding open now was recorded, with its evidence, when it opened.
    const opened = ledger.flatMap((e: any) =>
      (e.payload.findingsOpened ?? []).map((f: any) => f.code),
    );
    expect(opened).toEqual(
      expect.arrayContaining(identity.status.findings.map((f: any) => f.code)),
    );
    expect(await asService('/api/nhi/ledger/verify')).toMatchObject({
      ok: true,
      entries: expect.any(Number),
    });
  });

  it('refuses a malformed query with a 400 naming the field', async () => {
    const { status, body } = await backend.request(
      '/api/nhi/identities?rotation=late',
    );
    expect(status).toBe(400);
    expect(body.error.message).toContain('rotation.0 must be one of');
  });

  it('signs the ledger head with each export, which the offline verifier checks with the public key', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await fetch(
      `${backend.baseUrl}/api/nhi/evidence/package?from=${today}&to=${today}`,
      {
        headers: {
          Authorization: `Bearer ${await backend.tokenFor('security')}`,
        },
      },
    );
    expect(res.status).toBe(200);
    const zip = Buffer.from(await res.arrayBuffer());
    const manifest = JSON.parse(
      (await readPackageFiles(zip)).get('manifest.json')!.toString('utf8'),
    );
    const publicKey = createPublicKey(ledgerSigningKey().publicKeyPem);
    // The note signs the head the manifest states, in the checkpoint format of tlogs.
    expect(verifyCheckpoint(manifest.checkpoint.note, publicKey)).toEqual({
      origin: expect.stringMatching(/^127\.0\.0\.1:\d+\/api\/nhi\/ledger$/),
      size: manifest.ledgerHead.seq,
      hash: manifest.ledgerHead.hash,
      time: expect.any(String),
    });
    const verified = await verifyPackage(zip, { publicKey });
    expect(verified).toMatchObject({
      ok: true,
      summary: { checkpoints: { count: expect.any(Number) } },
    });
    // Another key's holder cannot vouch for this package.
    const stranger = createPublicKey(generateKeyPairSync('ed25519').privateKey);
    expect(await verifyPackage(zip, { publicKey: stranger })).toMatchObject({
      ok: false,
    });
    // The checkpoint is kept in the ledger and published; the ledger holds to it.
    expect(await asService('/api/nhi/ledger/verify')).toMatchObject({
      ok: true,
      checkpoints: {
        inLedger: expect.any(Number),
        published: expect.any(Number),
        latest: { size: expect.any(Number) },
      },
    });
    const { checkpoints } = await asService('/api/nhi/ledger/verify');
    expect(checkpoints.inLedger).toBeGreaterThanOrEqual(1);
    expect(checkpoints.published).toBeGreaterThanOrEqual(1);
  });

  it('writes no token from a query string to the request log', async () => {
    const token = `tok-${Date.now()}-not-for-logs`;
    const urls = [
      `/api/nhi/identities?limit=5&token=${token}`,
      `/api/nhi/identities?access_token=${token}`,
      `/api/catalog/entities?limit=1&token=${token}`,
      `/api/auth/github/handler/frame?code=${token}&state=${token}`,
    ];
    for (const url of urls) await backend.request(url);
    // Each request is still logged, its other parameters as sent.
    await eventually('the requests to be logged', async () =>
      backend
        .output()
        .includes('/api/catalog/entities?limit=1&token=[REDACTED]')
        ? true
        : undefined,
    );
    expect(backend.output()).toContain(
      '"GET /api/nhi/identities?limit=5&token=[REDACTED] HTTP/1.1"',
    );
    expect(backend.output()).not.toContain(token);
  });

  describe('who sees what', () => {
    it("shows the guest (payments) only the payments team's identities", async () => {
      const { items, totalItems } = await backend.fetchJson(
        '/api/nhi/identities?limit=500',
      );
      const owned = exampleIdentities.filter(
        i => i.spec.owner === 'group:payments',
      );
      expect(totalItems).toBe(owned.length);
      expect(items.map((i: any) => i.owner)).toEqual(
        owned.map(() => 'group:default/payments'),
      );
    });

    it("lets the guest open a payments identity, and answers another team's as if it did not exist", async () => {
      expect(
        (await backend.request('/api/nhi/identities/default/payments-edge-tls'))
          .status,
      ).toBe(200);
      const hidden = await backend.request(
        '/api/nhi/identities/default/legacy-ftp-sync-key',
      );
      const missing = await backend.request(
        '/api/nhi/identities/default/no-such-identity',
      );
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect(hidden.body.error.message).toBe(
        'No machine identity machineidentity:default/legacy-ftp-sync-key',
      );
      expect(missing.body.error.message).toBe(
        'No machine identity machineidentity:default/no-such-identity',
      );
    });
  });

  describe('rollups', () => {
    it('counts identities per owning team, for security and services', async () => {
      const body = await eventually('the rollups to be built', async () => {
        const r = await asService('/api/nhi/rollups?by=owner');
        return r.total.identities === exampleIdentities.length ? r : undefined;
      });
      const payments = body.rows.find(
        (r: any) => r.key === 'group:default/payments',
      );
      expect(payments.identities).toBe(
        exampleIdentities.filter(i => i.spec.owner === 'group:payments').length,
      );
      expect(body.total.orphaned).toBeGreaterThanOrEqual(1);
      expect(body.total.compliantPct).toBeGreaterThanOrEqual(0);
      const trend = await asService('/api/nhi/rollups/trend?by=all&days=7');
      expect(trend.points.length).toBeGreaterThanOrEqual(1);
    });

    it('keeps org-wide figures from an ordinary owner', async () => {
      const { status, body } = await backend.request(
        '/api/nhi/rollups?by=owner',
      );
      expect(status).toBe(403);
      expect(body.error.message).toContain('nhi.admin.read');
    });

    it('refuses an unknown dimension naming the parameter', async () => {
      const { status, body } = await backend.request(
        '/api/nhi/rollups?by=colour',
        {
          token: backend.serviceToken,
        },
      );
      expect(status).toBe(400);
      expect(body.error.message).toContain('by must be one of all, owner');
    });
  });

  describe('events', () => {
    const post = (body: unknown, token?: string) =>
      backend.request('/api/nhi/events', {
        method: 'POST',
        token,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const usedNow = (id: string) => ({
      id,
      type: 'used',
      occurredAt: new Date().toISOString(),
      identity: {
        provider: 'aws-iam',
        externalId: 'arn:aws:iam::123456789012:user/orders-queue-consumer',
      },
      sourceIp: '10.20.30.40',
      region: 'eu-west-1',
    });

    it('takes usage from a backend service and shows it on the identities within moments', async () => {
      const { status, body } = await post(
        { events: [usedNow('sys-1'), usedNow('sys-2')] },
        backend.serviceToken,
      );
      expect(status).toBe(200);
      expect(body).toEqual({ accepted: 2, duplicates: 0 });
      // One credential declared for production and staging: both record the use.
      for (const name of [
        'orders-queue-consumer',
        'orders-queue-consumer-staging',
      ]) {
        // Status follows the events in the background, without holding up the sender.
        const { identity, usage } = await eventually(
          `${name} to show its use`,
          async () => {
            const d = await details(name);
            return d.identity.status.usage.status === 'active' ? d : undefined;
          },
          20_000,
        );
        expect(identity.status.usage.status).toBe('active');
        // The day's rollup is on the identity's page too.
        expect(usage[0]).toMatchObject({
          day: new Date().toISOString().slice(0, 10),
          uses: expect.any(Number),
        });
        expect(usage[0].uses).toBeGreaterThanOrEqual(2);
      }
      const replay = await post(
        { events: [usedNow('sys-1')] },
        backend.serviceToken,
      );
      expect(replay.body).toEqual({ accepted: 0, duplicates: 1 });
    });

    it('refuses events from a person', async () => {
      const { status } = await post({ events: [usedNow('sys-3')] });
      expect(status).toBe(403);
    });

    it('refuses an event that carries a secret', async () => {
      const { status, body } = await post(
        { events: [{ ...usedNow('sys-4'), password: 'hunter2' }] },
        backend.serviceToken,
      );
      expect(status).toBe(400);
      expect(body.error.message).toContain(
        'events[0].password is a field for secret material',
      );
      expect(body.items).toEqual([
        {
          index: 0,
          reason: expect.stringContaining(
            'events[0].password is a field for secret material',
          ),
        },
      ]);
      expect(JSON.stringify(body)).not.toContain('hunter2');
    });
  });
});
