/** scripts/docs.ts: the check that keeps the page self-contained. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_PAGE, remoteFetches } from '../../scripts/docs.ts';

describe('remoteFetches', () => {
  it.each([
    ['a remote script', '<script src="https://cdn.example.com/redoc.js"></script>'],
    ['a remote module preload', '<link rel="modulepreload" href="https://cdn.redocly.com/redoc/v3/bundles/redoc.standalone.js" />'],
    ['a remote stylesheet', "<link rel='stylesheet' href='https://fonts.googleapis.com/css?family=Roboto'>"],
    ['a remote image', '<img alt="" src="https://example.com/logo.png">'],
    ['a CSS url()', '.logo { background: url("https://example.com/a.svg") }'],
    ['a CSS @import', '@import "https://example.com/theme.css";'],
    ['a dynamic import', 'await import("https://esm.sh/x")'],
    ["Redoc's logo in a string literal", 'src:`https://cdn.redoc.ly/redoc/logo-mini.svg`'],
  ])('finds %s', (_name, html) => {
    expect(remoteFetches(html).length).toBeGreaterThan(0);
  });

  it.each([
    ['a link to follow', '<a href="https://redocly.com/redoc/">Redoc</a>'],
    ['an SVG namespace', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
    ['a URL in an example', '"callback_url": "https://example.com/webhooks/clickairtime"'],
    ['an inline image', '<img src="data:image/svg+xml,%3Csvg%3E">'],
  ])('lets %s pass (nothing is fetched)', (_name, html) => {
    expect(remoteFetches(html)).toEqual([]);
  });

  it('finds nothing in the built page', () => {
    // page.test.ts builds it when missing; skip rather than build twice in parallel.
    if (!existsSync(DOCS_PAGE)) return;
    expect(remoteFetches(readFileSync(DOCS_PAGE, 'utf8'))).toEqual([]);
  });
});
