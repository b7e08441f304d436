import fs from 'fs';
import path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  REPO_ROOT,
  RunningBackend,
  eventually,
  startBackend,
} from '../support/backend';
import { launchBrowser, saveScreenshot, signInAs } from '../support/browser';
import { exampleIdentities, waitForExampleCatalog } from '../support/examples';

jest.setTimeout(300_000);

const DANA = 'user:default/dana.reyes';
const PERIOD = '2026-Q4-browser';
const CERTIFIED = 'payments-stripe-restricted-key';
const REVOKED = 'payments-db-writer';

/**
 * Recertification, the security page and the persona sign-in, in Debian's Chromium against the
 * real app and backend with the example organisation. Each persona has a browser of its own.
 */
describe('recertification in a real browser', () => {
  let backend: RunningBackend;
  const browsers: Array<Awaited<ReturnType<typeof launchBrowser>>> = [];

  async function signedIn(persona: 'owner' | 'security' | 'platform') {
    const browser = await launchBrowser();
    browsers.push(browser);
    const page = await browser.context.newPage();
    await signInAs(page, backend.baseUrl, persona);
    return { page, context: browser.context };
  }

  const ledgerOf = async (name: string) =>
    (
      await backend.fetchJson(`/api/nhi/identities/default/${name}`, {
        token: backend.serviceToken,
      })
    ).ledger as Array<{ kind: string; payload: any }>;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'packages/app/dist/index.html'))) {
      throw new Error(
        'The app is not built: run `yarn workspace app build` (scripts/test.sh does).',
      );
    }
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
  });

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await backend?.stop();
  });

  describe('as security', () => {
    let page: Page;

    beforeAll(async () => {
      ({ page } = await signedIn('security'));
    });

    it('shows the org-wide figures and drills down from a chart to the filtered list', async () => {
      // Both pages are in the sidebar.
      await page.locator('nav').getByText('My attestations').waitFor();
      await page.locator('nav').getByText('Machine identities').click();
      await page.waitForURL(/\/machine-identities\/security/);
      const identities = page.getByTestId('kpi-identities');
      await identities.waitFor();
      expect(await identities.textContent()).toContain(
        String(exampleIdentities.length),
      );
      const chart = page.getByTestId('identities-by-finding-chart');
      await chart.locator('.recharts-bar-rectangle').first().waitFor();
      await saveScreenshot(page, 'security-page');

      await chart.locator('.recharts-bar-rectangle').first().click();
      await page.waitForURL(/finding=/);
      const code = new URL(page.url()).searchParams.get('finding')!;
      const list = page.getByTestId('identity-list-panel');
      // The list shows the filter, and every row it shows has the finding clicked.
      await page.getByTestId(`filter-chip-finding-${code}`).waitFor();
      const rows = list.locator('tbody tr');
      await rows.first().locator(`[data-finding="${code}"]`).waitFor();
      const shown = await rows.count();
      expect(shown).toBeGreaterThan(0);
      for (let i = 0; i < shown; i++) {
        expect(
          await rows.nth(i).locator(`[data-finding="${code}"]`).count(),
        ).toBe(1);
      }
      await saveScreenshot(page, 'security-page-drill-down');
    });

    it('follows the theme in dark mode', async () => {
      // Backstage keeps the chosen theme in local storage (Settings → Appearance).
      await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
      await page.goto(`${backend.baseUrl}/machine-identities/security`);
      await page.getByTestId('kpi-identities').waitFor();
      const background = await page
        .locator('main')
        .first()
        .evaluate(e => getComputedStyle(e).backgroundColor);
      const [r, g, b] = background.match(/\d+/g)!.map(Number);
      expect(r + g + b).toBeLessThan(3 * 80);
      await saveScreenshot(page, 'security-page-dark');
      await page.evaluate(() => window.localStorage.removeItem('theme'));
    });

    it('starts a campaign for the payments team', async () => {
      await page.goto(
        `${backend.baseUrl}/machine-identities/security?tab=campaigns`,
      );
      await page
        .getByRole('button', { name: 'Start campaign' })
        .first()
        .click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Period').fill(PERIOD);
      await dialog.getByLabel('Owner groups (optional)').fill('payments');
      await dialog.getByRole('button', { name: 'Start' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(PERIOD).first().waitFor();
      await saveScreenshot(page, 'security-page-campaigns');
      const { items } = await backend.fetchJson('/api/nhi/campaigns', {
        token: backend.serviceToken,
      });
      expect(items.find((c: any) => c.period === PERIOD)).toMatchObject({
        status: 'open',
        scope: { owner: ['group:default/payments'] },
      });
    });
  });

  describe('as the owner', () => {
    let page: Page;

    beforeAll(async () => {
      ({ page } = await signedIn('owner'));
    });

    /** The pending-attestation row of an identity (the rows with decision buttons). */
    const attestationRow = (name: string) =>
      page
        .getByRole('row')
        .filter({ hasText: name })
        .filter({ has: page.getByRole('button', { name: 'Certify' }) })
        .first();

    async function decide(name: string, decision: 'Certify' | 'Revoke') {
      await attestationRow(name)
        .getByRole('button', { name: decision })
        .click();
      const dialog = page.getByTestId('decision-dialog');
      await dialog.waitFor();
      // What is being attested is shown before confirming.
      await dialog
        .getByText('Settlement writes', { exact: false })
        .or(dialog.getByText('Create refunds', { exact: false }))
        .first()
        .waitFor();
      const confirm = dialog.getByTestId('decision-confirm');
      expect(await confirm.isDisabled()).toBe(true);
      await dialog
        .getByTestId('justification')
        .fill(`${decision} in the browser test`);
      if (decision === 'Certify') await saveScreenshot(page, 'decision-dialog');
      await confirm.click();
      await dialog.waitFor({ state: 'detached' });
    }

    it('has My attestations in the sidebar but not the security page', async () => {
      const nav = page.locator('nav');
      await nav.getByText('My attestations').waitFor();
      expect(await nav.getByText('Machine identities').count()).toBe(0);
    });

    it("sees a component's identities, their findings and what waits for a decision", async () => {
      await page.goto(
        `${backend.baseUrl}/catalog/default/component/payments-api/identities`,
      );
      await attestationRow(CERTIFIED).waitFor();
      const row = page
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: REVOKED, exact: true }) })
        .first();
      expect(await row.textContent()).toContain('Shared across components');
      await saveScreenshot(page, 'component-identities-attestations');
    });

    it('certifies one identity and revokes another, each in the ledger', async () => {
      await decide(CERTIFIED, 'Certify');
      await decide(REVOKED, 'Revoke');
      for (const [name, decision] of [
        [CERTIFIED, 'certify'],
        [REVOKED, 'revoke'],
      ]) {
        const decided = (await ledgerOf(name)).find(
          e => e.kind === 'review.decided',
        );
        expect(decided?.payload).toMatchObject({
          decision,
          decidedBy: DANA,
          justification: `${
            decision === 'certify' ? 'Certify' : 'Revoke'
          } in the browser test`,
        });
      }
      expect((await ledgerOf(REVOKED)).map(e => e.kind)).toContain(
        'remediation.opened',
      );
    });

    it('shows the overview card and the home page card', async () => {
      await page.goto(
        `${backend.baseUrl}/catalog/default/component/payments-api`,
      );
      const { totalItems } = await backend.fetchJson(
        '/api/nhi/entities/component/default/payments-api/identities',
        { token: backend.serviceToken },
      );
      await page.getByLabel(`Total: ${totalItems}`).waitFor();
      await saveScreenshot(page, 'component-overview-card');

      await page.goto(`${backend.baseUrl}/home`);
      const { totalItems: pending } = await backend.fetchJson(
        '/api/nhi/review-items/mine',
        { token: await backend.tokenFor('owner') },
      );
      expect(pending).toBeGreaterThan(0);
      const count = page.getByTestId('attestations-count');
      await count.waitFor();
      expect(await count.textContent()).toBe(String(pending));
      await saveScreenshot(page, 'home-my-attestations');
    });

    it('lists what is left on My attestations', async () => {
      await page.goto(`${backend.baseUrl}/machine-identities/attestations`);
      await page.getByText('My attestations').first().waitFor();
      await page.getByRole('button', { name: 'Certify' }).first().waitFor();
      const text = await page.locator('main').textContent();
      expect(text).toContain(PERIOD);
      await saveScreenshot(page, 'my-attestations');
    });
  });

  describe('as a member of another team', () => {
    let page: Page;
    let context: BrowserContext;

    beforeAll(async () => {
      // The token the app's own sign-in gets, read as it arrives.
      const browser = await launchBrowser();
      browsers.push(browser);
      context = browser.context;
      page = await context.newPage();
    });

    it("is offered nothing of another group's and refused when deciding on it", async () => {
      // The app's own refresh call, made again once signed in: the body of its first answer
      // may be gone by the time it is read, as the app navigates on.
      const refresh = page
        .waitForRequest(r =>
          r.url().includes('/api/auth/persona-platform/refresh'),
        )
        .then(r => ({ url: r.url(), headers: r.headers() }));
      await signInAs(page, backend.baseUrl, 'platform');
      const request = await refresh;
      // Through the browser context's own cookies, apart from the page's navigation.
      const answer = await page.request.get(request.url, {
        headers: request.headers,
      });
      const token = (await answer.json()).backstageIdentity.token as string;
      // An item of the payments team's, from the campaign security started above.
      const { items } = await backend.fetchJson('/api/nhi/review-items/mine', {
        token: await backend.tokenFor('owner'),
      });
      const paymentsItem = items.find((i: any) => i.period === PERIOD);
      expect(paymentsItem).toBeDefined();
      const name = paymentsItem.identity.split('/').pop();

      await page.goto(`${backend.baseUrl}/machine-identities/attestations`);
      await page.getByText('My attestations').first().waitFor();
      expect(await page.locator('main').textContent()).not.toContain(name);
      await saveScreenshot(page, 'my-attestations-other-team');

      const refused = await page.request.post(
        `${backend.baseUrl}/api/nhi/review-items/${paymentsItem.id}/decision`,
        {
          headers: { Authorization: `Bearer ${token}` },
          data: { decision: 'certify', justification: 'Not mine to decide' },
        },
      );
      // Refused as if the item were not there: nothing of the identity or its team is named.
      expect(refused.status()).toBe(404);
      const { error } = await refused.json();
      expect(error.message).toBe(`No review item ${paymentsItem.id}`);
      expect(JSON.stringify(error)).not.toContain('group:default/payments');
      expect(JSON.stringify(error)).not.toContain(name);
    });
  });
});
