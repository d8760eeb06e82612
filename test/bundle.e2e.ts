import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alarm } from '../client/src/supervisor/fixtures.js';

// The test hooks (window.__wall, window.__replay) and the specs' fixtures are built into
// client/dist-e2e, which the e2e tests serve, and never into client/dist, the product.
// The admin console's component library (Element Plus) and its pages are chunks of their own:
// the wall and the supervisor console never load them.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function bundle(dir: string): string {
  const assets = join(root, 'client', dir, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  expect(files.length, `${dir}/assets has no scripts: run npm run build`).toBeGreaterThan(0);
  return files.map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
}

/** A chunk and every chunk it imports statically (what a browser loads with it), by file name. */
function staticClosure(dir: string, entry: string): Map<string, string> {
  const assets = join(root, 'client', dir, 'assets');
  const out = new Map<string, string>();
  const visit = (file: string) => {
    if (out.has(file)) return;
    const text = readFileSync(join(assets, file), 'utf8');
    out.set(file, text);
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]!);
  };
  visit(entry);
  return out;
}

function chunk(dir: string, prefix: string): string {
  const found = readdirSync(join(root, 'client', dir, 'assets')).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  expect(found, `${prefix} chunk in ${dir}`).toHaveLength(1);
  return found[0]!;
}

/** The entry script index.html loads: the wall. */
function entry(dir: string): string {
  const html = readFileSync(join(root, 'client', dir, 'index.html'), 'utf8');
  const m = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html);
  expect(m, 'index.html names its entry script').not.toBeNull();
  return m![1]!;
}

// Strings only Element Plus's code and the admin pages hold.
const ELEMENT_PLUS = 'ElementPlusError';
const ADMIN_TEXT = '已存在，请换一个名称';

describe('client bundles', () => {
  it('keeps Element Plus and the admin pages out of the wall’s and the console’s chunks', () => {
    const admin = staticClosure('dist', chunk('dist', 'AdminPage'));
    const adminText = [...admin.values()].join('\n');
    expect(adminText.includes(ELEMENT_PLUS), 'Element Plus in the admin chunks').toBe(true);
    expect(adminText.includes(ADMIN_TEXT), 'the admin pages in their chunks').toBe(true);
    for (const [name, start] of [
      ['wall', entry('dist')],
      ['supervisor console', chunk('dist', 'SupervisorPage')],
    ] as const) {
      for (const [file, text] of staticClosure('dist', start)) {
        expect(text.includes(ELEMENT_PLUS), `Element Plus in ${file}, loaded by the ${name}`).toBe(false);
        expect(text.includes(ADMIN_TEXT), `admin page code in ${file}, loaded by the ${name}`).toBe(false);
      }
    }
    // The wall's stylesheet is its own: none of Element Plus's classes.
    const css = readdirSync(join(root, 'client', 'dist', 'assets')).filter((f) => f.startsWith('index-') && f.endsWith('.css'));
    for (const f of css) expect(readFileSync(join(root, 'client', 'dist', 'assets', f), 'utf8').includes('.el-button'), f).toBe(false);
  });

  const markers = ['__wall', '__replay'];

  it('the e2e build has the hooks the tests read', () => {
    const e2e = bundle('dist-e2e');
    for (const m of markers) expect(e2e.includes(m), `${m} in client/dist-e2e`).toBe(true);
  });

  it('the production build has no test hook and no spec fixture', () => {
    const prod = bundle('dist');
    for (const m of markers) expect(prod.includes(m), `${m} in client/dist`).toBe(false);
    // A value only the supervisor specs' fixture holds.
    expect(prod.includes(alarm('x').raisedAt), 'the fixture in client/dist').toBe(false);
  });
});
