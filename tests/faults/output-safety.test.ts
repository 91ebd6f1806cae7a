// What could leak or escape through the pipeline's outputs: ids that climb out of output/ (the
// config schema refuses them, before any file name is made of them), and secrets — a token in a URL
// query and an Authorization header from ${ENV} — which must appear in no log line, error, `status
// --json`, ingest_run.message, source_file.url or raw archive path.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { openWarehouse } from '../../src/warehouse/dialect.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { freshWarehouseUrl } from '../helpers/warehouse.js';
import { listFiles, longTradeCsv, project, spawnCli } from './helpers.js';
import { record } from './meta.js';

describe('path traversal through ids', () => {
  it.for(['../../etc', '..', 'a/../../b', '/etc/passwd', 'x\\..\\y', 'raw/../..', '.tmp-x', 'A'])('source id %j is refused by the schema', (id, ctx) => {
    record(ctx);
    const p = project(`  - { id: ${JSON.stringify(id)}, dataset: trade, url: data/x.csv }\n`);
    expect(() => loadConfig(p.config, {})).toThrow(ConfigError);
    expect(() => loadConfig(p.config, {})).toThrow(/sources\[0\]\.id: must be lower-case letters, digits and dashes/);
  });

  it('a brief id too, and the CLI says so in one line with exit 2 before touching output/', async (ctx) => {
    record(ctx);
    const p = project(`  - { id: ok, dataset: trade, url: data/x.csv }\nbriefs:\n  - { id: "../../etc", subject: CN-HL, partner: JPN }\n`);
    expect(() => loadConfig(p.config, {})).toThrow(/briefs\[0\]\.id: must be lower-case/);
    const r = await spawnCli(['pull'], { TRADEBRIEF_CONFIG: p.config, OUTPUT_DIR: p.outputDir }).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tradebrief: tradebrief\.yaml: briefs\[0\]\.id: must be lower-case/)]);
    expect(listFiles(p.outputDir)).toEqual([]);
  });
});

describe('secrets never leave', () => {
  const TOKEN = 'tok-9f8e7d6c5b4a';
  const BEARER = 'bearer-secret-0a1b2c3d4e';
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url?.startsWith('/bad')) return void res.writeHead(500).end(`server error for ${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'Content-Type': 'text/csv' }).end(longTradeCsv(20, 1));
    });
  });
  afterAll(() => server.close());

  it('not in logs, errors, status --json, ingest_run, source_file or the archive', { timeout: 60_000 }, async (ctx) => {
    record(ctx);
    const p = project(
      `  - { id: good, dataset: trade, url: "${server.url}/good.csv?access_token=\${TB_TOKEN}&x=1", headers: { Authorization: "Bearer \${TB_BEARER}" }, fixed: { reporter: CN-HL } }\n` +
        `  - { id: bad, dataset: trade, url: "${server.url}/bad.csv?token=\${TB_TOKEN}", headers: { Authorization: "Bearer \${TB_BEARER}" }, retries: 0, fixed: { reporter: CN-HL } }\n` +
        `  - { id: literal, dataset: trade, url: "${server.url}/bad.xlsx?api_key=${TOKEN}", headers: { Authorization: "Bearer ${BEARER}" }, retries: 0, fixed: { reporter: CN-HL } }\n`,
    );
    const url = freshWarehouseUrl('sqlite');
    const env = { TRADEBRIEF_CONFIG: p.config, OUTPUT_DIR: p.outputDir, WAREHOUSE_URL: url, TB_TOKEN: TOKEN, TB_BEARER: BEARER };
    const pulled = await spawnCli(['--json', 'pull'], env).done;
    expect(pulled.code).toBe(1); // `bad` and `literal` fail
    const status = await spawnCli(['--json', 'status', '--rejects'], env).done;
    expect(status.code).toBe(0);
    const wh = await openWarehouse(url);
    const runs = await wh.db.selectFrom('ingest_run').selectAll().execute();
    const files = await wh.db.selectFrom('source_file').selectAll().execute();
    await wh.close();
    expect(runs.map((r) => `${r.source_id}:${r.status}`).sort()).toEqual(['bad:failed', 'good:loaded', 'literal:failed']);
    expect(files).toHaveLength(1);
    const archive = listFiles(p.outputDir).join('\n');
    const everything = [pulled.stdout, pulled.stderr, status.stdout, status.stderr, JSON.stringify(runs), JSON.stringify(files), archive, readFileSync(url.replace(/^sqlite:/, '')).toString('latin1')];
    for (const text of everything) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(BEARER);
    }
    // …while still saying which source and URL failed.
    expect(runs.find((r) => r.source_id === 'bad')!.message).toContain(`${server.url}/bad.csv?token=***`);
    expect(files[0]!.url).toBe(`${server.url}/good.csv?access_token=***&x=1`);
  });
});
