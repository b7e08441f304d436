import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { readPackageFiles as unzip } from '@nhi-governance/nhi-evidence';
import {
  REPO_ROOT,
  RunningBackend,
  eventually,
  startBackend,
} from '../support/backend';
import { launchBrowser, saveScreenshot, signInAs } from '../support/browser';
import { waitForExampleCatalog } from '../support/examples';

jest.setTimeout(300_000);

/** The source of app-config.yaml in the format the example module adds. */
const SOURCE = 'aws-access-keys-example';
const IDENTITY = 'payments-db-writer';
const CODE = 'key-issued-unrecorded';
const TITLE = 'Key issued without a recorded rotation';

/**
 * The example backend module (plugins/nhi-backend-module-example) installed in the example
 * backend: its source format is read from examples/discovery/aws-iam-access-keys.jsonl, its
 * finding rule fires on the declared identity with a key issued after its recorded rotation,
 * and the finding shows on the owner's page and in the evidence package with its controls.
 */
describe("the example module's format and finding rule, end to end", () => {
  let backend: RunningBackend;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let security: string;

  const statusOf = async () =>
    (
      await backend.fetchJson(`/api/nhi/identities/default/${IDENTITY}`, {
        token: backend.serviceToken,
      })
    ).identity.status;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'packages/app/dist/index.html'))) {
      throw new Error(
        'The app is not built: run `yarn workspace app build` (scripts/test.sh does).',
      );
    }
    backend = await startBackend();
    await waitForExampleCatalog(backend);
    await eventually(`${IDENTITY} to have a status`, async () =>
      (await statusOf()) ? true : undefined,
    );
    security = await backend.tokenFor('security');
    // Read now rather than wait for the schedule; a scheduled read answers 409 until it is over.
    await eventually(`a read of ${SOURCE}`, async () => {
      const { status, body } = await backend.request(
        `/api/nhi/discovery/sources/${SOURCE}/run`,
        { method: 'POST', token: security },
      );
      if (status === 409) return undefined;
      if (status !== 200 || body.status !== 'ok') {
        throw new Error(`${SOURCE}: ${status} ${JSON.stringify(body)}`);
      }
      return body;
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAs(page, backend.baseUrl, 'owner');
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  it('reads the file of the module’s format and lists its keys', async () => {
    const { items } = await backend.fetchJson(
      `/api/nhi/discovery/sources/${SOURCE}/credentials?limit=50`,
      { token: security },
    );
    expect(
      items.map((c: any) => [c.principal, c.active, c.declaredAs]),
    ).toEqual([
      [
        'arn:aws:iam::123456789012:user/payments-db-writer',
        true,
        `machineidentity:default/${IDENTITY}`,
      ],
      [
        'arn:aws:iam::123456789012:user/payments-db-writer',
        true,
        `machineidentity:default/${IDENTITY}`,
      ],
    ]);
    // The access key ids never reach storage or the API.
    expect(JSON.stringify(items)).not.toMatch(/AKIA[A-Z0-9]{16}/);
  });

  it('raises the module’s finding on the identity, with its definition and controls', async () => {
    const finding = await eventually(`${CODE} on ${IDENTITY}`, async () =>
      (await statusOf())?.findings?.find((f: any) => f.code === CODE),
    );
    expect(finding).toMatchObject({
      code: CODE,
      severity: 'medium',
      title: TITLE,
      controls: {
        soc2: ['CC6.1', 'CC6.2'],
        nistCsf: ['PR.AA-01', 'ID.AM-08'],
        owaspNhi: ['NHI7'],
      },
      evidence: {
        lastRecordedRotation: '2026-11-10',
        sources: [SOURCE],
      },
    });
    expect(finding.evidence.keys).toEqual([
      expect.stringMatching(
        /^arn:aws:iam::123456789012:user\/payments-db-writer#[0-9a-f]{16} issued 2026-11-30 \(aws-access-keys-example\)$/,
      ),
    ]);
  });

  it("shows the finding on the owner's Identities tab", async () => {
    await page.goto(`${backend.baseUrl}/catalog/default/group/payments`);
    await page.getByRole('link', { name: 'Identities', exact: true }).click();
    await page.waitForURL(/\/identities$/);
    const row = page.getByRole('row').filter({
      has: page.getByRole('link', { name: IDENTITY, exact: true }),
    });
    await row
      .getByRole('button', { name: 'Detail panel visiblity toggle' })
      .click();
    // The finding's chip in the row, and its details (why, fix, controls) in the panel.
    await row.getByText(TITLE, { exact: true }).waitFor();
    const heading = page.getByRole('heading', { name: TITLE });
    await heading.waitFor();
    expect(await heading.isVisible()).toBe(true);
    await page.getByText(/made outside the documented process/).waitFor();
    await saveScreenshot(page, 'example-module-finding');
  });

  it('puts the finding in the evidence package’s findings.csv with its controls', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await fetch(
      `${backend.baseUrl}/api/nhi/evidence/package?from=${today}&to=${today}`,
      { headers: { Authorization: `Bearer ${security}` } },
    );
    expect(res.status).toBe(200);
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    const csv = files.get('findings.csv')!.toString('utf8');
    const rows = csv
      .split(/\r?\n/)
      .filter(line => line.includes(CODE) && line.includes(IDENTITY));
    const opened = rows.find(line => line.includes(',opened,'));
    expect(opened).toBeDefined();
    expect(opened).toContain(`,${CODE},medium,${TITLE},opened,`);
    expect(opened).toMatch(/,CC6\.1; CC6\.2,PR\.AA-01; ID\.AM-08,NHI7$/);
    expect(files.get('index.html')!.toString('utf8')).toContain(CODE);
  });
});
