/**
 * The docs page in a real browser: Debian's Chromium through playwright-core, opened from
 * file://, with every request other than the page itself aborted and recorded. Builds the page
 * first when it is missing or older than the spec. Leaves screenshots in test-results/.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocs, DOCS_PAGE } from '../../scripts/docs.ts';
import { operations, root, spec, type Json } from '../support/spec.ts';
import { SAMPLE_LABELS } from './support/run-sample.ts';

const PAGE_URL = pathToFileURL(DOCS_PAGE).href;
const SHOTS = `${root}test-results`;
const PERMISSIONS = ['airtime.read', 'airtime.write', 'airtime.transactions.read', 'wallets.read'];
const LANGUAGE_BUTTON = new RegExp(`^(${SAMPLE_LABELS.join('|')})$`);

/** Stale when any input of the page is newer than it. */
function pageIsStale(): boolean {
  if (!existsSync(DOCS_PAGE)) return true;
  const built = statSync(DOCS_PAGE).mtimeMs;
  const inputs = ['generated/openapi.json', 'docs-site/redocly.yaml', 'docs-site/template.hbs', 'scripts/docs.ts'];
  return inputs.some((f) => statSync(`${root}${f}`).mtimeMs > built);
}

const webhooks = Object.entries(spec.webhooks as Record<string, Json>).map(([name, item]) => ({ name, operation: item.post }));

describe('the docs page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const offPage: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (pageIsStale()) await buildDocs();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    // Everything but the page itself is aborted and kept, whatever its scheme or host.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.split('#')[0] === PAGE_URL) return route.continue();
      offPage.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(PAGE_URL);
    await page.getByRole('heading', { name: /Click Airtime V2 API/ }).first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens an item of the sidebar by its title, inside its tag group, and returns the route's section. */
  async function open(group: string, title: string) {
    const sidebar = page.locator('[data-component-name="Menu/Menu"]').first();
    const link = sidebar.getByRole('link', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) }).first();
    // Tag groups come after the overview's sections, one of which is also called Webhooks.
    if (!(await link.isVisible())) await sidebar.getByText(group, { exact: true }).last().click();
    await link.click();
    const route = decodeURIComponent(new URL(page.url()).hash.replace(/^#\//, ''));
    const section = page.locator(`[id="${route}"]`);
    await section.waitFor();
    return section;
  }

  const groupOf = (tag: string) => spec.tags.find((t: Json) => t.name === tag)?.['x-displayName'] ?? tag;

  it('shows the auth guide with the four permissions', async () => {
    const headings = await page.getByRole('heading').allInnerTexts();
    expect(headings).toEqual(expect.arrayContaining(['Authentication', 'Permissions']));
    const permissions = page.locator('table', { hasText: 'airtime.transactions.read' }).first();
    const rows = (await permissions.locator('tbody tr td:first-child').allInnerTexts()).map((t) => t.trim());
    expect(rows).toEqual(PERMISSIONS);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/docs-overview.png` });
  });

  it('shows the error table, rate limits, idempotency, webhooks and the sandbox magic numbers', async () => {
    const headings = await page.getByRole('heading').allInnerTexts();
    expect(headings).toEqual(expect.arrayContaining(['Responses and errors', 'Rate limits', 'Idempotency', 'Webhooks', 'Sandbox']));
    const text = await page.locator('#redoc').innerText();
    for (const code of spec.components.schemas.ErrorCode.enum as string[]) expect(text).toContain(code);
    expect(text).toContain('X-RateLimit-Remaining');
    expect(text).toContain('X-Webhook-Signature');
    expect(text).toContain('+233200000001');
  });

  it.each(operations().map((o) => [o.operation.operationId, o] as const))(
    '%s renders, with its method and path, and offers the five sample languages',
    async (_id, { method, path, operation }) => {
      const section = await open(groupOf(operation.tags[0]), operation.summary);
      expect(await section.getByRole('heading').allInnerTexts()).toContain(operation.summary);
      expect(await section.innerText()).toContain(`${method.toUpperCase()}\n${path}`);
      const samples = operation['x-codeSamples'] as { label: string; source: string }[];
      for (const { label, source } of samples) {
        await section.locator('button[aria-haspopup="menu"]', { hasText: LANGUAGE_BUTTON }).first().click();
        const menu = page.getByTestId('dropdown-menu').last();
        expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual([...SAMPLE_LABELS]);
        // Dispatched: the menu may be drawn outside the viewport while the page scrolls (see below).
        await menu.getByRole('menuitem', { name: label, exact: true }).dispatchEvent('click');
        // The code shown is the sample itself (compared without whitespace, which highlighting reflows).
        const squash = (s: string) => s.replace(/\s+/g, '');
        const code = section.locator('pre').filter({ hasText: source.split('\n')[0]! }).first();
        await code.waitFor();
        expect(squash(await code.innerText())).toBe(squash(source));
      }
    },
  );

  it.each(webhooks.map((w) => [w.name, w] as const))('the %s webhook renders with its payload', async (name, { operation }) => {
    const section = await open('Webhooks', name);
    expect(await section.innerText()).toContain(name);
    expect(await section.innerText()).toContain('X-Webhook-Signature');
    expect(operation).toBeDefined();
  });

  it('a screenshot of an operation with its TypeScript sample is saved for people to look at', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const section = await open('Top-ups', 'Send a top-up');
    const languages = section.locator('button[aria-haspopup="menu"]', { hasText: LANGUAGE_BUTTON }).first();
    await languages.click();
    // The menu can open while the page is still scrolling to the anchor and end up outside the
    // viewport; a dispatched click does not depend on where the item is drawn.
    await page.getByTestId('dropdown-menu').last().getByRole('menuitem', { name: 'TypeScript', exact: true }).dispatchEvent('click');
    await expect.poll(async () => (await languages.innerText()).trim()).toBe('TypeScript');
    await page.screenshot({ path: `${SHOTS}/docs-create-topup.png` });
    expect(existsSync(`${SHOTS}/docs-create-topup.png`)).toBe(true);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('sent no request anywhere but the page itself', () => {
    expect(offPage).toEqual([]);
  });
});
