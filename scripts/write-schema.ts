// Writes config/tradebrief.schema.json from the zod schema (`npm run schema`).
// tests/config/schema.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/schema.js';

export function schemaText(): string {
  return `${JSON.stringify({ ...configJsonSchema(), title: 'tradebrief config' }, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(new URL('../config/tradebrief.schema.json', import.meta.url), schemaText());
  console.log('wrote config/tradebrief.schema.json');
}
