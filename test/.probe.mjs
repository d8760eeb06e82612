import { chromium } from 'playwright-core';
const [url, token] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update'] });
const ctx = await b.newContext({ viewport: { width: 1920, height: 1080 } });
const page = await ctx.newPage();
page.on('console', m => console.log('console', m.type(), m.text()));
await page.goto(`${url}/replay?from=2020-08-01&to=2020-08-31&speed=100000&token=${token}`);
await page.waitForFunction(() => window.__replay?.phase === 'ready', null, { timeout: 120000 });
console.log('ready', await page.evaluate(() => ({ events: __replay.events, load: __replay.loadMs, index: __replay.indexMs })));
const countFrames = () => page.evaluate(() => new Promise(r => { let n = 0; const end = performance.now() + 2000; const f = () => { n++; performance.now() < end ? requestAnimationFrame(f) : r(n); }; requestAnimationFrame(f); }));
console.log('paused frames/2s', await countFrames());
await page.getByTestId('replay-play').click();
console.log('playing frames/2s', await countFrames());
const st = await page.evaluate(() => ({ frames: __replay.frames, t: __replay.t }));
console.log('compute ms while playing', st.frames.map(x => x.toFixed(1)).join(' '));
await page.getByTestId('replay-play').click();
// random seeks via scrubber
const box = await page.getByTestId('replay-scrubber').boundingBox();
for (let i = 0; i < 30; i++) { await page.mouse.click(box.x + Math.random() * box.width, box.y + box.height / 2); await page.waitForTimeout(150); }
const seeks = await page.evaluate(() => __replay.seeks);
seeks.sort((a, b) => a - b);
console.log('seeks', seeks.length, 'p50', seeks[Math.floor(seeks.length/2)].toFixed(1), 'p95', seeks[Math.floor(seeks.length*0.95)].toFixed(1), 'max', seeks.at(-1).toFixed(1));
// CPU profile of play
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.start');
await page.getByTestId('replay-play').click();
await page.waitForTimeout(2000);
const { profile } = await cdp.send('Profiler.stop');
const self = new Map(); const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map(n => [n.id, n]));
for (let i = 0; i < profile.samples.length; i++) { const n = byId.get(profile.samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + (dt[i] || 0)); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v/1000).toFixed(0)}ms ${k}`).join('\n'));
await b.close();
