import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, RunningBackend, startBackend } from '../support/backend';
import { launchBrowser, saveScreenshot, signInAs } from '../support/browser';
import {
  exampleIdentities,
  expectedRelationsToIdentities,
  waitForExampleCatalog,
} from '../support/examples';

jest.setTimeout(240_000);

/** The names of the identities the catalog should relate to an entity, from the example YAML. */
function identitiesOf(entityRef: string, relation: string): string[] {
  return (expectedRelationsToIdentities().get(entityRef) ?? [])
    .filter(r => r.startsWith(`${relation} `))
    .map(r => r.replace(/^.*machineidentity:default\//, ''))
    .sort();
}

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
    backend = await startBackend({ discovery: false });
    await waitForExampleCatalog(backend);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAs(page, backend.baseUrl, 'owner');
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
    const expected = identitiesOf(
      'component:default/payments-api',
      'dependsOn',
    );
    await page.getByText(`Machine identities (${expected.length})`).waitFor();
    const listed = await page
      .locator('tbody a[href*="/machineidentity/"]')
      .allTextContents();
    expect(listed.sort()).toEqual(expected);
    for (const identity of exampleIdentities.filter(i =>
      expected.includes(i.metadata.name),
    )) {
      const row = page.getByRole('row').filter({
        has: page.getByRole('link', {
          name: identity.metadata.name,
          exact: true,
        }),
      });
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
    const expected = identitiesOf('group:default/payments', 'ownerOf');
    await page.getByText(`Machine identities (${expected.length})`).waitFor();
    const listed = await page
      .locator('tbody a[href*="/machineidentity/"]')
      .allTextContents();
    expect(listed.sort()).toEqual(expected);
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

  // The catalog keeps a refused entity as it was read, so a private key may be in it.
  it('does not show refused identities to a member of an ordinary team', async () => {
    await page.goto(`${backend.baseUrl}/catalog-unprocessed-entities`);
    await page.getByRole('tab', { name: 'Pending' }).click();
    await page
      .getByText(/unauthorized|not allowed|forbidden/i)
      .first()
      .waitFor();
    expect(
      await page
        .getByRole('row')
        .filter({ hasText: 'MachineIdentity' })
        .count(),
    ).toBe(0);
    expect(await page.content()).not.toContain('PRIVATE KEY');
    await saveScreenshot(page, 'unprocessed-entities-refused');
  });
});
