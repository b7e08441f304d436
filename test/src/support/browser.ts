import fs from 'fs';
import path from 'path';
import os from 'os';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { REPO_ROOT } from './backend';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test/screenshots');

/**
 * Debian's Chromium, headless, in a fresh profile. The flags keep it from reaching out to the
 * network, which this machine does not have; playwright never downloads a browser of its own here.
 */
export async function launchBrowser(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const PERSONA_TITLES = {
  owner: 'Service owner',
  security: 'Security',
  platform: 'Another team',
} as const;

/**
 * Opens the portal and signs in as one of the example personas (packages/app's sign-in page):
 * the owner Dana Reyes (payments), Sam Okafor (security) or Marcus Bennett (platform).
 */
export async function signInAs(
  page: Page,
  baseUrl: string,
  persona: keyof typeof PERSONA_TITLES,
): Promise<void> {
  await page.goto(baseUrl);
  const button = page.getByRole('button', {
    name: `Sign in as ${PERSONA_TITLES[persona]}`,
  });
  await button.click();
  await button.waitFor({ state: 'detached' });
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
  });
}
