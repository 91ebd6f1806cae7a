// tradebrief's version, from the nearest package.json above this module. Walking up (rather than a
// fixed '../package.json') finds it from src/cli.ts, src/pipelines/… and every bundled chunk in dist/.
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function packageVersion(): string {
  if (version !== undefined) return version;
  for (let url = new URL('./package.json', import.meta.url), i = 0; i < 5; i++, url = new URL('../package.json', url)) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'tradebrief' && typeof pkg.version === 'string') return (version = pkg.version);
    } catch {
      // no package.json at this level (or not ours): keep walking up
    }
  }
  return (version = '0.0.0');
}
