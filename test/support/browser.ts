import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

// Headless Chromium for the wall's end-to-end tests: one browser per test file, pages that
// record every console error and uncaught page error, screenshots into test-artifacts/.

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(root, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--js-flags=--expose-gc'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors not matched by an active `ignore`. */
  readonly errors: string[];
  /** Errors that an `ignore` pattern swallowed (kept for the failure message). */
  readonly ignored: string[];
  /** Ignores errors matching `pattern` until the returned function is called. */
  ignore(pattern: RegExp): () => void;
  close(): Promise<void>;
}

/** A new context (own storage, so logins do not leak between pages) with one tracked page. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  const ignored: string[] = [];
  const patterns = new Set<RegExp>();
  const record = (text: string) => {
    for (const p of patterns) {
      if (p.test(text)) {
        ignored.push(text);
        return;
      }
    }
    errors.push(text);
  };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    record(`console.error: ${msg.text()}${loc?.url ? ` (${loc.url})` : ''}`);
  });
  page.on('pageerror', (err) => record(`pageerror: ${err.stack ?? err.message}`));
  return {
    page,
    context,
    errors,
    ignored,
    ignore(pattern) {
      patterns.add(pattern);
      return () => void patterns.delete(pattern);
    },
    close: () => context.close(),
  };
}

/** Chromium's console line for a failed fetch/XHR with the given HTTP status. */
export function statusPattern(status: number): RegExp {
  return new RegExp(`status of ${status}\\b`);
}

/** Saves a full-viewport PNG as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** JS heap in bytes after forced garbage collection (CDP; twice, for finalizer chains). */
export async function heapAfterGc(page: Page): Promise<{ used: number; total: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
    return { used: usedSize, total: totalSize };
  } finally {
    await cdp.detach();
  }
}

/** Waits until window.__wall is live with at least the given seq; says where it is if not. */
export async function waitForWallSeq(page: Page, seq: number, timeout = 30_000): Promise<void> {
  try {
    await page.waitForFunction(
      (s) => {
        const w = (window as unknown as { __wall?: { state: string; seq: number; sections: unknown } }).__wall;
        return !!w && w.state === 'live' && w.sections !== null && w.seq >= s;
      },
      seq,
      { timeout, polling: 100 },
    );
  } catch (e) {
    const where = await page
      .evaluate(() => {
        const w = (window as unknown as { __wall?: { state: string; seq: number; rev: number; lastUpdate: number | null } }).__wall;
        return w ? { state: w.state, seq: w.seq, rev: w.rev, lastUpdate: w.lastUpdate, now: Date.now() } : null;
      })
      .catch((err: Error) => err.message);
    throw new Error(`the wall did not reach seq ${seq} in ${timeout} ms: window.__wall = ${JSON.stringify(where)}`, { cause: e });
  }
}

/** The text of every element with the given data-testid, trimmed. */
export async function testIdText(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Puts a token where a page that logged in before keeps it (localStorage), as a screen that
 * logged in yesterday has it: no token ever travels in a URL. The page is left on the origin.
 */
export async function storeToken(page: Page, url: string, token: string, role: string | null = null): Promise<void> {
  await page.goto(`${url}/api/health`);
  await page.evaluate((auth) => localStorage.setItem('wall.auth', JSON.stringify(auth)), { token, role, expiresAt: null });
}

/** Opens `path` on a page that holds `token` (see storeToken). */
export async function gotoWithToken(page: Page, url: string, path: string, token: string): Promise<void> {
  await storeToken(page, url, token);
  await page.goto(`${url}${path}`);
}

/**
 * The JS heap after forced GCs, split by a heap snapshot into V8's compiled code (nodes of
 * type `code`: bytecode, optimized code, their metadata), which grows while V8 optimizes more of
 * a page's functions as they get hot, and the page's own objects, where a leak would be.
 * `byName`: self sizes per constructor name of the objects, for finding what grew.
 */
export async function heapSplit(page: Page): Promise<{ used: number; code: number; objects: number; byName: Map<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const chunks: string[] = [];
    const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    const snapshot = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
    const fields = snapshot.snapshot.meta.node_fields;
    const typeAt = fields.indexOf('type');
    const sizeAt = fields.indexOf('self_size');
    const nameAt = fields.indexOf('name');
    const types = snapshot.snapshot.meta.node_types[0];
    const code = types.indexOf('code');
    const object = types.indexOf('object');
    let codeBytes = 0;
    const byName = new Map<string, number>();
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      const type = snapshot.nodes[i + typeAt];
      const size = snapshot.nodes[i + sizeAt]!;
      if (type === code) codeBytes += size;
      else {
        const name = type === object ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${types[type!]})`;
        byName.set(name, (byName.get(name) ?? 0) + size);
      }
    }
    return { used: usedSize, code: codeBytes, objects: usedSize - codeBytes, byName };
  } finally {
    await cdp.detach();
  }
}
