// Browser-journey harness: the real server (in this process, on a temporary data directory) and
// Debian's Chromium driven by playwright-core. Journeys call `startApp()` once per file, open a
// page per test with `app.newPage()`, sign in with `login(page)` and save `screenshot(page, name)`
// PNGs under e2e/artifacts/ (git-ignored; CI keeps them as test artifacts).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, loadConfig } from '@switchyard/server';
import type { SwitchyardServer } from '@switchyard/server';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The seeded admin (the server's default when SWITCHYARD_ADMIN_EMAIL is not set). */
export const ADMIN_EMAIL = 'admin@localhost';
export const ADMIN_PASSWORD = 'e2e-admin-password';

const WEB_DIR = fileURLToPath(new URL('../dist/', import.meta.url));
export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** Chromium flags for a container without a sandbox or GPU (see DEVELOPERS.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

export interface StartAppOptions {
  /** Browser language for new pages (default `en-US`). */
  readonly locale?: string;
  /** Viewport for new pages (default 1440 × 900). */
  readonly viewport?: { readonly width: number; readonly height: number };
}

export interface JourneyPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Uncaught page errors and console errors seen so far (a journey should end with none). */
  readonly errors: string[];
}

export interface App {
  /** Base URL of the server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly server: SwitchyardServer;
  /** The server's data directory (database, mail outbox, secrets). */
  readonly dataDir: string;
  readonly browser: Browser;
  /** A new page in a fresh browser context (own cookies and storage), at about:blank. */
  newPage(options?: StartAppOptions): Promise<JourneyPage>;
  /** Closes the browser and the server and deletes the data directory. */
  close(): Promise<void>;
}

/**
 * Starts the server on a free port with a fresh data directory (templates seeded, admin
 * `ADMIN_EMAIL` / `ADMIN_PASSWORD`) serving the built web app, and launches Chromium.
 *
 * @example
 * const app = await startApp();
 * const { page } = await app.newPage();
 * await login(page, app.url);
 */
export async function startApp(defaults: StartAppOptions = {}): Promise<App> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) {
    throw new Error(
      'apps/web/dist is missing: run `npm run build -w @switchyard/web` (npm test does it first)',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  let server: SwitchyardServer | null = null;
  let browser: Browser;
  try {
    server = await createServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        SWITCHYARD_DATA_DIR: dataDir,
        SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
        SWITCHYARD_TIME_ZONE: 'UTC',
        SMTP_PORT: 'off',
      }),
      { log: () => undefined, tickMs: 3_600_000, seedSamples: false, webDir: WEB_DIR },
    );
    browser = await chromium.launch({
      executablePath: process.env.SWITCHYARD_CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  } catch (error: unknown) {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const started = { server, browser };
  const contexts: BrowserContext[] = [];
  return {
    url: started.server.url,
    server: started.server,
    dataDir,
    browser: started.browser,
    async newPage(options = {}) {
      const context = await started.browser.newContext({
        baseURL: started.server.url,
        locale: options.locale ?? defaults.locale ?? 'en-US',
        timezoneId: 'UTC',
        viewport: options.viewport ?? defaults.viewport ?? { width: 1440, height: 900 },
        deviceScaleFactor: 1,
      });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        // Failed requests are reported below with their URL.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          errors.push(`console error: ${message.text()}`);
        }
      });
      page.on('response', (response) => {
        if (response.status() >= 400) {
          errors.push(`HTTP ${response.status()} ${new URL(response.url()).pathname}`);
        }
      });
      return { page, context, errors };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await started.browser.close();
      await started.server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the login page (as the seeded admin unless told otherwise) and waits for the
 * signed-in shell. Starts at `path` (default /flows), so it also checks the return to it.
 */
export async function login(
  page: Page,
  options: { readonly email?: string; readonly password?: string; readonly path?: string } = {},
): Promise<void> {
  const path = options.path ?? '/flows';
  await page.goto(path);
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-email').fill(options.email ?? ADMIN_EMAIL);
  await page.getByTestId('login-password').fill(options.password ?? ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname === path.split(/[?#]/)[0]);
  await page.getByTestId('user-menu').waitFor();
}

/** Saves a PNG of the viewport as e2e/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  // Let fonts, transitions and lazy chunks settle so the picture shows the finished page.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}
