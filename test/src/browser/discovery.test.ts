import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import {
  REPO_ROOT,
  RunningBackend,
  eventually,
  startBackend,
} from '../support/backend';
import { launchBrowser, saveScreenshot, signInAs } from '../support/browser';
import { exampleIdentities, waitForExampleCatalog } from '../support/examples';

jest.setTimeout(300_000);

/** The discovery sources of app-config.yaml. */
const SOURCES = [
  'aws-example',
  'k8s-example',
  'cloudtrail-example',
  'trufflehog-example',
];

/**
 * Discovery in Debian's Chromium against the real app and backend with the example
 * organisation and its example exports: what a source says of a declared identity, a
 * discovered identity on its owner's page with the YAML to claim it, and reading a source now
 * from the security page.
 */
describe('discovery in a real browser', () => {
  let backend: RunningBackend;
  const browsers: Array<Awaited<ReturnType<typeof launchBrowser>>> = [];
  let security: string;

  async function signedIn(persona: 'owner' | 'security') {
    const browser = await launchBrowser();
    browsers.push(browser);
    const page = await browser.context.newPage();
    await signInAs(page, backend.baseUrl, persona);
    return page;
  }

  const sourceHealth = async () =>
    (await backend.fetchJson('/api/nhi/discovery/sources', { token: security }))
      .items as Array<{
      id: string;
      summary?: Record<string, number>;
      runs: Array<{ status: string }>;
    }>;

  /** Reads a source now; a scheduled read of the same source answers 409 until it is over. */
  const runSource = (id: string) =>
    eventually(`a read of ${id}`, async () => {
      const { status, body } = await backend.request(
        `/api/nhi/discovery/sources/${id}/run`,
        { method: 'POST', token: security },
      );
      if (status === 409) return undefined;
      if (status !== 200 || body.status !== 'ok') {
        throw new Error(`${id}: ${status} ${JSON.stringify(body)}`);
      }
      return body;
    });

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'packages/app/dist/index.html'))) {
      throw new Error(
        'The app is not built: run `yarn workspace app build` (scripts/test.sh does).',
      );
    }
    backend = await startBackend();
    await waitForExampleCatalog(backend);
    // A source matches what it lists to the declared identities the registry holds.
    await eventually('every declared identity to have a status', async () => {
      const { items } = await backend.fetchJson(
        '/api/nhi/identities?limit=500',
        { token: backend.serviceToken },
      );
      const declared = items.filter((i: any) => i.source === 'catalog');
      return declared.length === exampleIdentities.length &&
        declared.every((i: any) => i.status)
        ? true
        : undefined;
    });
    security = await backend.tokenFor('security');
    // Read now rather than wait for the schedule, credential lists before the logs and
    // scans that are attributed to what they list.
    for (const id of SOURCES) await runSource(id);
    // The first scheduled reads start 30 s after the backend: wait them out too, so that
    // nothing reads a source while the pages are checked (a second read would answer 409).
    await eventually(
      'the scheduled first read of every source',
      async () => {
        const health = await sourceHealth();
        return SOURCES.every(id => {
          const runs = health.find(s => s.id === id)?.runs ?? [];
          return runs.length >= 2 && runs.every(r => r.status !== 'running');
        })
          ? true
          : undefined;
      },
      120_000,
    );
  });

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await backend?.stop();
  });

  describe("on the payments team's pages", () => {
    let page: Page;

    beforeAll(async () => {
      page = await signedIn('owner');
    });

    async function openGroupIdentities() {
      await page.goto(`${backend.baseUrl}/catalog/default/group/payments`);
      await page.getByRole('link', { name: 'Identities', exact: true }).click();
      await page.waitForURL(/\/identities$/);
      await page.getByText(/^Machine identities \(\d+\)$/).waitFor();
    }

    it('shows where the credential report disagrees with a declared identity', async () => {
      await openGroupIdentities();
      const row = page.getByRole('row').filter({
        has: page.getByRole('link', {
          name: 'orders-queue-consumer',
          exact: true,
        }),
      });
      await row
        .getByRole('button', { name: 'Detail panel visiblity toggle' })
        .click();
      const source = page
        .getByRole('region', { name: 'Sources' })
        .locator('[data-source="aws-example"]');
      await source.waitFor();
      expect(await source.textContent()).toContain('aws-credential-report');
      expect(await source.textContent()).toContain('Listed');
      expect(
        await source.getByTestId('source-disagreement').allTextContents(),
      ).toContain(
        "Declared lastRotatedAt 2026-10-20, source says 2026-07-02; the source's date is used.",
      );
      await saveScreenshot(page, 'identity-sources');
    });

    it('marks an identity a source found, and gives the YAML to claim it', async () => {
      const { items } = await backend.fetchJson(
        '/api/nhi/entities/group/default/payments/identities?limit=500',
        { token: await backend.tokenFor('owner') },
      );
      const discovered = items.find((i: any) =>
        i.source.startsWith('discovery:'),
      );
      if (!discovered) {
        throw new Error('the payments group owns no discovered identity');
      }
      const name = discovered.ref.replace(/^.*\//, '');
      const sourceId = discovered.source.replace('discovery:', '');

      await openGroupIdentities();
      const row = page
        .getByRole('row')
        .filter({ has: page.getByText(name, { exact: true }) });
      const chip = row.getByTestId('discovered-chip');
      await chip.hover();
      await page
        .getByText(
          `Found by discovery source ${sourceId}; nobody declared it in the catalog`,
        )
        .waitFor();
      // No catalog page to link to until it is claimed.
      expect(await row.getByRole('link', { name, exact: true }).count()).toBe(
        0,
      );

      await row.getByRole('button', { name: 'Claim' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('kind: MachineIdentity').waitFor();
      const yaml = await dialog.locator('pre').first().textContent();
      expect(yaml).toContain('kind: MachineIdentity');
      expect(yaml).toContain('owner: group:default/payments');
      expect(yaml).toContain(
        `externalId: ${JSON.stringify(discovered.externalId)}`,
      );
      await saveScreenshot(page, 'claim-discovered-identity');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    });
  });

  describe('on the security page', () => {
    let page: Page;

    beforeAll(async () => {
      page = await signedIn('security');
    });

    it('reads a source now and shows what its read found', async () => {
      await page.goto(
        `${backend.baseUrl}/machine-identities/security?tab=discovery`,
      );
      const row = page
        .getByRole('row')
        .filter({ hasText: 'aws-credential-report' })
        .filter({ has: page.getByRole('button', { name: 'Read now' }) });
      await row.waitFor();

      const [response] = await Promise.all([
        page.waitForResponse(r =>
          r.url().endsWith('/api/nhi/discovery/sources/aws-example/run'),
        ),
        row.getByRole('button', { name: 'Read now' }).click(),
      ]);
      expect(response.status()).toBe(200);
      const result = await response.json();
      expect(result.status).toBe('ok');
      await row.getByText(`Read ${result.rows} rows`).waitFor();

      // The row reloads with the figures of this read, in words.
      const { summary } = (await sourceHealth()).find(
        s => s.id === 'aws-example',
      )!;
      expect(summary).toEqual(result.summary);
      await row
        .getByText(`${summary!.credentials} credentials listed`)
        .waitFor();
      await row
        .getByText(
          `${summary!.declared} declared ${
            summary!.declared === 1 ? 'identity' : 'identities'
          } listed`,
        )
        .waitFor();
      expect(
        await row.getByRole('button', { name: 'Read now' }).isEnabled(),
      ).toBe(true);
      // How many values of the file this read could not read, in words.
      const count: number = result.warningCount;
      await row
        .getByTestId('warning-count')
        .filter({
          hasText:
            count === 0
              ? 'No warnings'
              : `${count} warning${count === 1 ? '' : 's'}`,
        })
        .waitFor();
      await saveScreenshot(page, 'discovery-read-now');
    });
  });
});
