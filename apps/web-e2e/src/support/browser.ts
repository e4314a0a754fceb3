import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const DEMO_PASSWORD = 'huuco-demo';

export const ARTIFACTS = resolve(import.meta.dirname, '../../../../test-results');

/** Debian's Chromium, headless, with the network features this machine refuses turned off. */
export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page whose requests to other hosts (map tiles) fail at once, as they do offline. */
export async function offlinePage(browser: Browser, width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN' });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
  return context.newPage();
}

/** Opens the app and logs in through the form, as a person would. */
export async function logIn(
  page: Page,
  baseUrl: string,
  username: string,
  path = '/',
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel(/Tên đăng nhập|Username/).fill(username);
  await page.getByLabel(/Mật khẩu|Password/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(Đăng nhập|Log in)$/ }).click();
  // On a phone the logout button waits behind the menu.
  await page
    .getByRole('button', { name: /^(Đăng xuất|Log out|Trình đơn|Menu)$/ })
    .and(page.locator(':visible'))
    .first()
    .waitFor();
}

/** Opens the navigation's menu where it is folded (a phone); does nothing where it is not. */
export async function openMenu(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: /^(Trình đơn|Menu)$/ });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true')
    await menu.click();
}

/** Draws a square with the polygon tool, clicking its corners and closing on the first. */
export async function drawSquare(page: Page, x: number, y: number, size: number): Promise<void> {
  await page.locator('.leaflet-pm-icon-polygon').click();
  const corners = [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
  for (const [cx, cy] of corners) {
    await page.mouse.click(cx!, cy!);
    await page.waitForTimeout(80);
  }
}
