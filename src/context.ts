// What every command that touches the warehouse needs: the validated config, the warehouse and the
// output folder, resolved from flags and environment (DESIGN.md "Global").
import path from 'node:path';
import { DEFAULT_CONFIG, loadConfig, type LoadedConfig } from './config/load.js';
import { openWarehouse, type Warehouse } from './warehouse/dialect.js';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  debug?: boolean;
}

export interface Context {
  loaded: LoadedConfig;
  outputDir: string;
  warehouseUrl: string;
}

export function resolveContext(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const loaded = loadConfig(opts.config ?? env.TRADEBRIEF_CONFIG ?? DEFAULT_CONFIG, env);
  const outputDir = path.resolve(env.OUTPUT_DIR || 'output');
  const warehouseUrl = env.WAREHOUSE_URL || `sqlite:${path.join(outputDir, 'warehouse.sqlite')}`;
  return { loaded, outputDir, warehouseUrl };
}

export async function withWarehouse<T>(ctx: Context, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(ctx.warehouseUrl);
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}
