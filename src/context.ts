// What every command that touches the warehouse needs: the validated config, the warehouse and the
// output folder, resolved from flags and environment (DESIGN.md "Global").
import path from 'node:path';
import type { LoadedConfig } from './config/load.js';
import { configMemo, recall, remember, type ConfigMemo } from './config/memo.js';
import { connectWarehouse, type Warehouse, type WarehouseConnection } from './warehouse/dialect.js';

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

export const DEFAULT_CONFIG = 'config/tradebrief.yaml';

export interface ResolveOptions {
  /**
   * The memo of the last validated config, used when nothing it depends on changed (config/memo.ts).
   * Default: this build's (none when run from src/); false validates afresh, as `check` does.
   */
  memo?: ConfigMemo | false;
}

export async function resolveContext(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env, resolve: ResolveOptions = {}): Promise<Context> {
  const file = opts.config ?? env.TRADEBRIEF_CONFIG ?? DEFAULT_CONFIG;
  const memo = resolve.memo === false ? null : (resolve.memo ?? configMemo(env));
  let loaded = memo ? recall(memo, file, env) : null;
  if (!loaded) {
    // yaml and zod are loaded only here, on a miss (README "Performance").
    const { loadConfig } = await import('./config/load.js');
    loaded = loadConfig(file, env);
    if (memo) remember(memo, loaded);
  }
  const outputDir = path.resolve(env.OUTPUT_DIR || 'output');
  const warehouseUrl = env.WAREHOUSE_URL || `sqlite:${path.join(outputDir, 'warehouse.sqlite')}`;
  return { loaded, outputDir, warehouseUrl };
}

/** Runs `fn` on the warehouse, with its query builder, and closes it however `fn` ends. */
export async function withWarehouse<T>(ctx: Context, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  return withConnection(ctx, async (connection) => fn(await connection.warehouse()));
}

/**
 * withWarehouse for a command that may never need the query builder (`pull`): the warehouse's
 * connection, from which `warehouse()` loads kysely when the command comes to need it.
 */
export async function withConnection<T>(ctx: Context, fn: (connection: WarehouseConnection) => Promise<T>): Promise<T> {
  const connection = await connectWarehouse(ctx.warehouseUrl);
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}
