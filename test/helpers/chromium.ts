/**
 * Headless Chromium for the end-to-end tests of loopsim's pages: Debian's
 * chromium driven by playwright-core, and a page that records every request
 * that would leave it (and blocks it) and every error it logs.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const hasChromium = existsSync(CHROMIUM);

/** Starts the browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A page, and what it tried to fetch from outside (file:, data: and blob: are inside) and the errors it logged. */
export interface WatchedPage {
  readonly page: Page;
  readonly escaped: string[];
  readonly errors: string[];
}

/** A new page of `browser` in its own context, with every request that would leave it blocked and recorded. */
export async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const escaped: string[] = [];
  const errors: string[] = [];
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    escaped.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!/^(file|data|blob):/.test(r.url())) escaped.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, escaped, errors };
}
