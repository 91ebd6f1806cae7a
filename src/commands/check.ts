import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveContext, type GlobalOptions } from '../context.js';
import { redactUrl } from '../errors.js';

/** `tradebrief check`: the config validates (resolveContext throws a one-line ConfigError otherwise) and local sources exist. */
export async function checkCommand(opts: GlobalOptions, out: (s: string) => void): Promise<number> {
  const ctx = resolveContext(opts);
  const { config } = ctx.loaded;
  const problems: string[] = [];
  const name = path.basename(ctx.loaded.file);
  config.sources.forEach((s, i) => {
    if (/^https?:/i.test(s.url)) return;
    const file = s.url.startsWith('file:') ? new URL(s.url).pathname : path.resolve(ctx.loaded.baseDir, s.url);
    if (!existsSync(file)) problems.push(`${name}: sources[${i}].url: file not found: ${file}`);
  });
  config.briefs.forEach((b, i) => {
    if (!config.sources.some((s) => s.enabled)) problems.push(`${name}: briefs[${i}]: no enabled source feeds brief "${b.id}"`);
  });
  for (const p of problems) out(p);
  out(
    problems.length === 0
      ? `${name}: OK — ${config.sources.length} sources (${config.sources.map((s) => `${s.id} ← ${redactUrl(s.url)}`).join(', ')}), ${config.briefs.length} briefs`
      : `${name}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
  );
  return problems.length === 0 ? 0 : 2;
}
