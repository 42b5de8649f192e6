/**
 * The web console's browser tests: one headless Chromium per test file (Debian's chromium, driven by
 * playwright-core), with a fresh profile, reused by the file's tests (each opens its own page, so each has
 * its own sessionStorage). Outside CI a missing Chromium skips the tests (test/support/prerequisites.ts).
 */
import { rmSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, skipIfMissing } from '../support/prerequisites.js';
import { tempDir, type ServerProcess } from '../support/server.js';

/** The skip reason when there is no Chromium (undefined when there is; under CI=true its absence throws). */
export const NO_CHROMIUM = skipIfMissing('chromium');

/** Flags for a quiet, offline, throwaway browser: nothing phones home, nothing is kept. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  /** Every URL a page asked for outside the server (refused): the console must need none. */
  outside: string[];
  /** A new tab at `path` of the server, at the given window size (1280×800 by default). */
  open(server: ServerProcess, path: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = tempDir('ccapi-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath()!,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  // Generous: the machine is shared; these bound a hang, they do not measure speed.
  context.setDefaultTimeout(30_000);
  const outside: string[] = [];
  return {
    context,
    outside,
    async open(server, path, viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      // Nothing outside the server may be fetched: the console works offline.
      const origin = new URL(server.url).origin;
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin)) return route.continue();
        outside.push(url);
        return route.abort();
      });
      await page.goto(`${server.url}${path}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
