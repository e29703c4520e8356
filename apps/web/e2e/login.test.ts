import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, login, screenshot, startApp } from './harness';
import type { App } from './harness';

let app: App | undefined;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.close();
});

describe('signing in', () => {
  it('sends a visitor to /login, refuses a wrong password, then returns to the page asked for', async () => {
    if (app === undefined) throw new Error('the app did not start');
    const { page, errors } = await app.newPage();
    await page.goto('/templates');
    await page.waitForURL(/\/login\?next=%2Ftemplates$/);
    await page.getByTestId('login-email').fill(ADMIN_EMAIL);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toMatch(
      /do not match an active account/,
    );
    await screenshot(page, 'login-error');

    await page.getByTestId('login-password').fill('');
    await login(page, { path: '/templates' });
    expect(new URL(page.url()).pathname).toBe('/templates');
    await screenshot(page, 'login-done');
    // The one refused sign-in is the only failed request.
    expect(errors).toEqual(['HTTP 401 /trpc/auth.login']);
  });

  it('switches the login page to 中文 before signing in and keeps it in this browser', async () => {
    if (app === undefined) throw new Error('the app did not start');
    const { page, errors } = await app.newPage();
    await page.goto('/login');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');
    await screenshot(page, 'login-zh-CN');
    expect(errors).toEqual([]);
  });
});
