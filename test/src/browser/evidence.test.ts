import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import type { Page } from 'playwright-core';
import { readPackageFiles as unzip } from '@nhi-governance/nhi-evidence';
import {
  REPO_ROOT,
  RunningBackend,
  eventually,
  startBackend,
} from '../support/backend';
import { launchBrowser, saveScreenshot, signInAs } from '../support/browser';
import { exampleIdentities, waitForExampleCatalog } from '../support/examples';

jest.setTimeout(300_000);

const PERIOD = 'evidence-browser';

/** The auditor's check, as a command of its own, from the repository root. */
async function verifyWithCli(file: string) {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/.bin/nhi-evidence'), 'verify', file],
      { cwd: REPO_ROOT },
    );
    return { code: 0, stdout };
  } catch (error: any) {
    return { code: error.code as number, stdout: String(error.stdout) };
  }
}

/** The cells of the control matrix row of one SOC 2 control, as text. */
function matrixRow(html: string, control: string): string[] {
  const row = html.match(
    new RegExp(`<tr><td>${control.replace('.', '\\.')}</td>(.*?)</tr>`),
  );
  if (!row) throw new Error(`index.html has no control matrix row ${control}`);
  return [...row[1].matchAll(/<td>(.*?)<\/td>/g)].map(m => m[1]);
}

/**
 * The evidence package end to end: a campaign completed by its owner, exported by security from
 * the security page in Debian's Chromium, downloaded, unzipped and verified with the offline CLI;
 * its control matrix against the API's own figures.
 */
describe('the evidence package in a real browser', () => {
  let backend: RunningBackend;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let campaignId: string;
  let dir: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'packages/app/dist/index.html'))) {
      throw new Error(
        'The app is not built: run `yarn workspace app build` (scripts/test.sh does).',
      );
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-evidence-browser-'));
    backend = await startBackend({ discovery: false });
    await waitForExampleCatalog(backend);
    await eventually('every example identity to have a status', async () => {
      const { items, totalItems } = await backend.fetchJson(
        '/api/nhi/identities?limit=500',
        { token: backend.serviceToken },
      );
      return totalItems === exampleIdentities.length &&
        items.every((i: any) => i.status)
        ? true
        : undefined;
    });

    // The payments team's campaign, decided whole by its owner and closed by security.
    const security = await backend.tokenFor('security');
    const owner = await backend.tokenFor('owner');
    const campaign = await backend.fetchJson('/api/nhi/campaigns', {
      method: 'POST',
      token: security,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        period: PERIOD,
        scope: { owner: ['group:default/payments'] },
      }),
    });
    campaignId = campaign.id;
    const { items } = await backend.fetchJson(
      `/api/nhi/campaigns/${campaignId}/items?limit=500`,
      { token: security },
    );
    if (!items.length) throw new Error(`campaign ${PERIOD} has no items`);
    await backend.fetchJson('/api/nhi/review-items/decisions', {
      method: 'POST',
      token: owner,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        justification: 'Quarterly review: retired with the old settlement flow',
        decisions: items.map((i: any) => ({
          itemId: i.id,
          decision: 'revoke',
        })),
      }),
    });
    await backend.fetchJson(`/api/nhi/campaigns/${campaignId}/close`, {
      method: 'POST',
      token: security,
    });

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAs(page, backend.baseUrl, 'security');
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let zipFile: string;
  let manifest: any;

  it('exports the package of the completed campaign from the security page', async () => {
    await page.goto(`${backend.baseUrl}/machine-identities/security`);
    await page.getByRole('button', { name: 'Export evidence' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Campaign' }).check();
    const select = dialog.getByRole('combobox', { name: 'Campaign' });
    await select.locator('option', { hasText: PERIOD }).waitFor({
      state: 'attached',
    });
    await select.selectOption({ label: `${PERIOD} (closed)` });
    await saveScreenshot(page, 'export-evidence-dialog');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect(download.suggestedFilename()).toBe(
      `nhi-evidence-${today}-${today}.zip`,
    );
    zipFile = path.join(dir, download.suggestedFilename());
    await download.saveAs(zipFile);
    await dialog
      .getByText(`Downloaded ${download.suggestedFilename()}`)
      .waitFor();
    await saveScreenshot(page, 'export-evidence-done');
    manifest = JSON.parse(
      (await unzip(zipFile)).get('manifest.json')!.toString(),
    );
    expect(manifest.period).toEqual({ from: today, to: today });
    expect(manifest.campaign).toEqual({ id: campaignId, period: PERIOD });
  });

  it('verifies offline with the CLI', async () => {
    const passed = await verifyWithCli(zipFile);
    expect(passed.stdout).toMatch(
      new RegExp(`^PASS .*package hash ${manifest.packageHash}`),
    );
    expect(passed.code).toBe(0);
  });

  it("reports control matrix counts that match the API's figures", async () => {
    const entries = await unzip(zipFile);
    const html = entries.get('index.html')!.toString();
    const token = backend.serviceToken;
    const total = (query: string) =>
      backend
        .fetchJson(`/api/nhi/identities?limit=1${query}`, { token })
        .then(r => r.totalItems as number);

    expect(html).toContain(
      `<tr><td>Campaign</td><td>${PERIOD} (${campaignId})`,
    );
    const identities = await total('');
    expect(identities).toBe(exampleIdentities.length);
    expect(matrixRow(html, 'CC6.1')[1]).toBe(
      `${identities} identities (0 removed during the period)`,
    );
    expect(matrixRow(html, 'CC6.6')[2]).toBe(
      `${await total(
        '&rotation=overdue&rotation=expired',
      )} identities due for rotation and not rotated (overdue or expired)`,
    );
    // The security queue holds exactly the identities without an approval record.
    const queue = await backend.fetchJson('/api/nhi/approvals?limit=1', {
      token: await backend.tokenFor('security'),
    });
    expect(matrixRow(html, 'CC6.2')[2]).toMatch(
      new RegExp(`^${queue.totalItems} without an approval record;`),
    );
    const campaign = await backend.fetchJson(
      `/api/nhi/campaigns/${campaignId}`,
      { token },
    );
    expect(campaign.status).toBe('closed');
    expect(campaign.progress.decided).toBe(campaign.progress.total);
    expect(html).toContain(
      `<tr><td>${PERIOD}</td><td>${campaign.progress.total}</td><td>${campaign.progress.decided}</td><td>0</td><td>revoke: ${campaign.progress.total}</td></tr>`,
    );
  });

  it('lists the export with its package hash on the Evidence tab', async () => {
    await page.goto(
      `${backend.baseUrl}/machine-identities/security?tab=evidence`,
    );
    await page.getByText('Past exports').first().waitFor();
    await page.getByText(manifest.packageHash).waitFor();
    await saveScreenshot(page, 'past-exports');
    const { items } = await backend.fetchJson('/api/nhi/evidence/exports', {
      token: await backend.tokenFor('security'),
    });
    expect(items[0]).toMatchObject({
      exportedBy: 'user:default/sam.okafor',
      campaign: campaignId,
      packageHash: manifest.packageHash,
    });
  });
});
