// Distribution through `tradebrief run` against a real HTTP server on 127.0.0.1, on both dialects:
// a failing webhook is recorded and shown by `status`, retried after its backoff and delivered once;
// an unchanged brief is not sent again; the folder target copies the files; secrets stay out of
// messages and status.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { statusCommand, type StatusReport } from '../../src/commands/status.js';
import { silentLogger } from '../../src/log.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { DIALECTS, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';
import { tinyProject } from './project.js';

const HOOK_TOKEN = 'tok-8c1f4e2a9b';
const HOOK_SECRET = 'sekret-5d7e0c3b1a';

const pgUp = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`webhook and folder distribution (${dialect})`, () => {
    let server: TestServer;
    const bodies: unknown[] = [];
    let url: string;
    beforeAll(async () => {
      url = freshWarehouseUrl(dialect);
      // 500 on the first request, 200 after: a receiver that was down on the first run.
      server = await startServer(async (req, res, index) => {
        let body = '';
        for await (const chunk of req) body += chunk;
        bodies.push(JSON.parse(body));
        res.writeHead(index === 0 ? 500 : 200, { 'Content-Type': 'text/plain' });
        res.end(index === 0 ? `down; your token was ${HOOK_TOKEN}` : 'ok');
      });
    });
    afterAll(async () => {
      await server?.close();
      if (dialect === 'postgres' && url) await dropSchema(url);
    });

    it('fails, shows in status, is retried after the backoff, delivered once, and not re-sent when unchanged', async () => {
      const p = tinyProject({
        warehouseUrl: url,
        distribute: [
          `{ type: webhook, id: hook, url: "${server.url}/hook?token=\${HOOK_TOKEN}", headers: { Authorization: "Bearer \${HOOK_SECRET}" } }`,
          '{ type: folder, id: share, path: share }',
        ],
      });
      const env = { ...process.env, ...p.env, HOOK_TOKEN, HOOK_SECRET };
      const lines: string[] = [];
      const log = { ...silentLogger, info: (l: string) => lines.push(l) };
      const t0 = new Date('2026-12-02T06:00:00.000Z');
      const at = (minutes: number) => () => new Date(t0.getTime() + minutes * 60_000);

      // Run 1: the webhook answers 500; the folder copy works; the brief is written all the same.
      expect(await runCommand({}, log, { env, now: at(0) })).toBe(1);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${HOOK_SECRET}`);
      expect(server.requests[0]!.url).toBe(`/hook?token=${HOOK_TOKEN}`);
      const failLine = lines.find((l) => l.includes('hook failed'))!;
      expect(failLine).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/hook\?token=\*\*\* → HTTP 500; attempt 1, next after 2026-12-02T06:05:00\.000Z/);
      expect(lines.join('\n')).not.toContain(HOOK_TOKEN);
      expect(lines.join('\n')).not.toContain(HOOK_SECRET);

      const latest = path.join(p.outputDir, 'briefs/hlj-japan/latest/brief.json');
      const briefBytes = readFileSync(latest);
      const dated = path.basename(realpathSync(path.dirname(latest)));
      const copied = path.join(p.dir, 'share/hlj-japan', dated, 'brief.json');
      expect(readFileSync(copied).equals(briefBytes)).toBe(true);

      // status shows the failed delivery (table and JSON), without secrets.
      let out = '';
      await statusCommand({}, (s) => (out += s), { env, now: at(1) });
      expect(out).toMatch(/hlj-japan → hook\s+failed\s+1\s+[0-9a-f]{12}/);
      expect(out).toMatch(/hlj-japan → share\s+delivered\s+1/);
      expect(out).toContain('1 delivery pending or failed');
      let json = '';
      await statusCommand({ json: true }, (s) => (json += s), { env, now: at(1) });
      const report = JSON.parse(json) as StatusReport;
      expect(report.deliveries.find((d) => d.target_id === 'hook')).toMatchObject({ status: 'failed', attempts: 1, target_type: 'webhook', next_attempt_at: '2026-12-02T06:05:00.000Z' });
      expect(report.briefs[0]).toMatchObject({ id: 'hlj-japan', status: 'rendered', files: ['brief.json'] });
      expect(out + json).not.toContain(HOOK_TOKEN);
      expect(out + json).not.toContain(HOOK_SECRET);

      // Run 2, within the backoff: not tried.
      lines.length = 0;
      expect(await runCommand({}, log, { env, now: at(2) })).toBe(0);
      expect(server.requests).toHaveLength(1);
      expect(lines.join('\n')).toMatch(/distribute hlj-japan = hook waiting: attempt 1 failed/);

      // Run 3, after the backoff: delivered, once.
      expect(await runCommand({}, log, { env, now: at(10) })).toBe(0);
      expect(server.requests).toHaveLength(2);
      const payload = bodies[1] as { brief: string; date: string; content_sha256: string; key_figures: { label: string; text: string }[]; files: { name: string; sha256: string; bytes: number }[] };
      expect(payload.brief).toBe('hlj-japan');
      expect(payload.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(payload.files).toEqual([{ name: 'brief.json', bytes: briefBytes.length, sha256: createHash('sha256').update(briefBytes).digest('hex') }]);
      expect(payload.key_figures.length).toBeGreaterThan(0);
      expect(payload.key_figures[0]!.text).toBeTruthy();

      // Run 4, --force: re-rendered, same content: not sent again; the brief file is what was rendered.
      lines.length = 0;
      expect(await runCommand({ force: true }, log, { env, now: at(20) })).toBe(0);
      expect(server.requests).toHaveLength(2);
      expect(lines.join('\n')).toMatch(/hook already delivered/);
      json = '';
      await statusCommand({ json: true }, (s) => (json += s), { env, now: at(21) });
      const after = JSON.parse(json) as StatusReport;
      expect(after.deliveries.map((d) => [d.target_id, d.status, d.attempts])).toEqual(
        expect.arrayContaining([
          ['hook', 'delivered', 2],
          ['share', 'delivered', 1],
        ]),
      );
      expect(after.deliveries).toHaveLength(2);
      expect(existsSync(path.join(p.dir, 'share/hlj-japan'))).toBe(true);
    });
  });
}
