import { Zone, generateMonth } from '@wall/shared';
import { startTestRedis } from '/work/main/test/support/redis.js';
import { login, postFeed, startServer } from '/work/main/test/support/server.js';
const perDay = Number(process.argv[2] ?? 40);
const zone = new Zone('Asia/Shanghai');
const redis = await startTestRedis();
const server = await startServer(redis.url);
const token = await login(server.url);
const events = generateMonth(2020, zone.startOfMonth('2020-08'), zone.startOfMonth('2020-09'), (t) => zone.parts(t).hour, perDay);
for (let i = 0; i < events.length; i += 2000) { const a = await postFeed(server.url, events.slice(i, i + 2000)); if (a.status !== 200) throw new Error(String(a.status)); }
console.log(JSON.stringify({ url: server.url, token, events: events.length }));
const stop = async () => { await server.stop(); await redis.cleanup(); process.exit(0); };
process.on('SIGTERM', stop); process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
