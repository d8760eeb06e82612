// npm run docs:schema: writes docs/feed.schema.json from the zod schemas (after npm run build -w shared).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feedSchemaText } from './feed-schema.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/feed.schema.json');
writeFileSync(file, feedSchemaText());
console.log(`wrote ${file}`);
