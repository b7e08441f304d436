import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import {
  REPO_ROOT,
  RunningBackend,
  eventually,
  startBackend,
} from '../support/backend';
import {
  launchBrowser,
  saveScreenshot,
  signInAsGuest,
} from '../support/browser';
import { exampleEntities } from '../support/examples';

jest.setTimeout(240_000);

const identities = exampleEntities('identities.yaml');
const usedBy = (component: string) =>
  identities.filter(i =>
    (i.spec.usedBy ?? []).some(
      (u: string) => u.replace(/^component:/, '') === component,
    ),
  );
const ownedBy = (group: string) =>
  identities.filter(i => i.spec.owner === `group:${group}`);

describe('the Identities tab in a real browser', () => {
  let backend: RunningBackend;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'packages/app/dist/index.html'))) {
      throw new Error(
        'The app is not built: run `yarn workspace app build` (scripts/test.sh does).',
      );
    }
    backend = await startBackend();
    await eventually('the example identities to be processed', async () => {
      const { items } = await backend.fetchJson(
        '/api/catalog/entities/by-query?filter=kind=machineidentity&limit=1000',
      );
      return items.length >= identities.length ? true : undefined;
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAsGuest(page, backend.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  async function openTab(entityPath: string) {
    await page.goto(`${backend.baseUrl}/catalog/default/${entityPath}`);
    await page.getByRole('link', { name: 'Identities', exact: true }).click();
    await page.waitForURL(/\/identities$/);
  }

  it("lists a component's identities with their purpose, owner and scope", async () => {
    await openTab('component/payments-api');
    const expected = usedBy('payments-api');
    await page.getByText(`Machine identities (${expected.length})`).waitFor();
    for (const identity of expected) {
      const row = page
        .getByRole('row')
        .filter({ hasText: identity.metadata.name });
      await row.waitFor();
      expect(await row.textContent()).toContain(identity.spec.purpose);
      expect(await row.textContent()).toContain(identity.spec.type);
    }
    const writer = await page
      .getByRole('row')
      .filter({ hasText: 'payments-db-writer' })
      .textContent();
    expect(writer).toContain('payments');
    expect(writer).toContain('write');
    await saveScreenshot(page, 'component-identities-tab');
  });

  it('links each identity to its own page, which shows the relations back', async () => {
    await openTab('component/payments-api');
    await page.getByRole('link', { name: 'payments-db-writer' }).click();
    await page.waitForURL(/machineidentity\/payments-db-writer/);
    expect(page.url()).toMatch(
      /\/catalog\/default\/machineidentity\/payments-db-writer$/,
    );
    await page.getByRole('heading', { name: 'payments-db-writer' }).waitFor();
    // The relations graph reaches back to every component that uses it.
    await page.getByText('settlement-batch').first().waitFor();
    await saveScreenshot(page, 'identity-page');
  });

  it('lists every identity a group owns on the group page', async () => {
    await openTab('group/payments');
    const expected = ownedBy('payments');
    await page.getByText(`Machine identities (${expected.length})`).waitFor();
    const listed = await page
      .locator('tbody a[href*="/machineidentity/"]')
      .allTextContents();
    expect(listed.sort()).toEqual(expected.map(i => i.metadata.name).sort());
    await saveScreenshot(page, 'group-identities-tab');
  });

  it('lists the identities of a system', async () => {
    await openTab('system/payments');
    const row = page.getByRole('row').filter({ hasText: 'payments-db-writer' });
    await row.waitFor();
    expect(await row.textContent()).toContain(
      'Settlement writes to the payments database',
    );
  });

  it('explains how to declare an identity when a component has none', async () => {
    await openTab('component/status-page');
    await page.getByText('No machine identities yet').waitFor();
    const example = await page.locator('pre').first().textContent();
    expect(example).toContain('kind: MachineIdentity');
    expect(example).toContain('usedBy: [component:default/status-page]');
    await saveScreenshot(page, 'component-identities-empty');
  });

  it('shows no Identities tab on pages of other kinds', async () => {
    await page.goto(`${backend.baseUrl}/catalog/default/user/dana.reyes`);
    await page.getByRole('link', { name: 'Overview', exact: true }).waitFor();
    expect(
      await page.getByRole('link', { name: 'Identities', exact: true }).count(),
    ).toBe(0);
  });

  it('lists the refused identities on the Unprocessed Entities page', async () => {
    await page.goto(`${backend.baseUrl}/catalog-unprocessed-entities`);
    // Entities that never passed processing are listed as "pending"; each row's raw
    // definition shows the processing errors.
    await page.getByRole('tab', { name: 'Pending' }).click();
    const rows = page.getByRole('row').filter({ hasText: 'MachineIdentity' });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const definitions: string[] = [];
    for (let i = 0; i < 2; i++) {
      await rows.nth(i).getByRole('button').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('errors').waitFor();
      definitions.push((await dialog.textContent()) ?? '');
      if (i === 0) await saveScreenshot(page, 'unprocessed-entity-errors');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
    const text = definitions.join('\n');
    expect(text).toContain(
      'broken-unknown-type is invalid: spec.type must be one of',
    );
    expect(text).toContain(
      'leaky-deploy-key was refused because it carries secret material',
    );
    await saveScreenshot(page, 'unprocessed-entities');
  });
});
