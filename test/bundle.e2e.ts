import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alarm } from '../client/src/supervisor/fixtures.js';

// The test hooks (window.__wall, window.__replay) and the specs' fixtures are built into
// client/dist-e2e, which the e2e tests serve, and never into client/dist, the product.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function bundle(dir: string): string {
  const assets = join(root, 'client', dir, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  expect(files.length, `${dir}/assets has no scripts: run npm run build`).toBeGreaterThan(0);
  return files.map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
}

describe('client bundles', () => {
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
