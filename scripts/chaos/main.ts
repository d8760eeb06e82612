import { parseArgs } from 'node:util';
import { runChaos } from './run.js';

// npm run chaos -- --seed N --minutes M (a random seed when none is given; it is printed).
const { values } = parseArgs({ options: { seed: { type: 'string' }, minutes: { type: 'string', default: '2' }, out: { type: 'string', default: 'test-artifacts/chaos' } } });
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const minutes = Number(values.minutes);
if (!Number.isInteger(seed) || !(minutes > 0)) {
  console.error('usage: npm run chaos -- --seed N --minutes M');
  process.exit(2);
}
const result = await runChaos(seed, minutes, values.out);
console.log(result.report);
process.exit(result.verdict.rules.every((r) => r.ok) ? 0 : 1);
