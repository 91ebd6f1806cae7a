// The national product picture end to end: the bundled sources (no HS rows for Heilongjiang) plus
// two Comtrade sources — China's exports by HS chapter to Japan and the world, Japan's imports from
// the world by chapter — answered by a real HTTP server on 127.0.0.1 in Comtrade's own format and
// pulled through config → adapter → normalise → load; then the English brief is rendered and read
// back as a reader (pdftotext) and an analyst (the JSON's figures and the warehouse rows they cite).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { pull } from '../../src/pipelines/run.js';
import { renderBriefs } from '../../src/reports/report.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { freshWarehouse } from '../helpers/warehouse.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const B = 1e9;
const day = () => new Date('2026-11-29T06:00:00.000Z');

/**
 * Reporter → partner → flow → chapter → US$ billion, 2023. China exports 100 to Japan and 1,250 to
 * the world; Japan imports 400 from the world. RCA in Japan's market: HS 94 0.15 / 0.025 = 6,
 * HS 62 0.20 / 0.05 = 4, HS 85 0.60 / 0.30 = 2, HS 27 0.05 / 0.625 = 0.08. Complementarity:
 * Σ|m − x| = |0.3 − 0.8| + |0.05 − 0.08| + |0.025 − 0.08| + |0.625 − 0.04| = 1.17 → 100 × (1 − 0.585) = 41.5.
 */
const TRADE: Record<string, Record<string, Record<string, Record<string, number>>>> = {
  CHN: {
    JPN: { X: { '85': 60, '62': 20, '94': 15, '27': 5 } },
    WLD: { X: { '85': 1000, '62': 100, '94': 100, '27': 50 } },
  },
  JPN: { WLD: { M: { '85': 120, '62': 20, '94': 10, '27': 250 } } },
};
const AREAS: Record<number, { iso: string; desc: string }> = { 0: { iso: 'W00', desc: 'World' }, 156: { iso: 'CHN', desc: 'China' }, 392: { iso: 'JPN', desc: 'Japan' } };
const warehouseCode = (n: number): string => (n === 0 ? 'WLD' : AREAS[n]!.iso);

/** The keyless preview endpoint, answering whatever reporter × partner × flow × chapter is asked from TRADE. */
function startComtrade(): Promise<TestServer> {
  return startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/public/v1/preview/C/A/HS') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"message":"no such route"}');
      return;
    }
    const list = (k: string) => (url.searchParams.get(k) ?? '').split(',').filter(Boolean);
    const data: Record<string, unknown>[] = [];
    for (const r of list('reporterCode').map(Number))
      for (const p of list('partnerCode').map(Number))
        for (const flow of list('flowCode'))
          for (const period of list('period'))
            for (const [cmd, usd] of Object.entries(TRADE[warehouseCode(r)]?.[warehouseCode(p)]?.[flow] ?? {})) {
              const cmds = list('cmdCode');
              if (!cmds.includes('AG2') && !cmds.includes(cmd)) continue;
              data.push({
                typeCode: 'C', freqCode: 'A', refYear: Number(period), refMonth: 52, period,
                reporterCode: r, reporterISO: AREAS[r]!.iso, reporterDesc: AREAS[r]!.desc,
                flowCode: flow, flowDesc: flow === 'X' ? 'Export' : 'Import',
                partnerCode: p, partnerISO: AREAS[p]!.iso, partnerDesc: AREAS[p]!.desc, partner2Code: 0, partner2ISO: 'W00',
                classificationCode: 'H6', isOriginalClassification: true, cmdCode: cmd, aggrLevel: 2,
                customsCode: 'C00', motCode: 0, primaryValue: usd * B, isReported: true,
              });
            }
    res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify({ elapsedTime: '0.1 secs', count: data.length, data }));
  });
}

/** A copy of the project's config and bundled data, plus a config adding the two Comtrade sources. */
function projectCopy(server: TestServer): { configFile: string; outputDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-national-'));
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  cpSync(path.join(ROOT, 'data/sources'), path.join(dir, 'data/sources'), { recursive: true });
  const configFile = path.join(dir, 'config/national.yaml');
  writeFileSync(
    configFile,
    `include: tradebrief.yaml
sources:
  - id: un-comtrade-china
    title: China's trade with Japan and the world by HS chapter
    publisher: United Nations Statistics Division, UN Comtrade (as reported by China Customs)
    dataset: trade
    url: ${server.url}
    request_interval_s: 0
    api: { type: comtrade, reporters: [CHN], partners: [JPN, WLD], flows: [X], products: [AG2], years: 2023 }
    priority: 20
  - id: un-comtrade-japan
    title: Japan's imports from the world by HS chapter
    publisher: United Nations Statistics Division, UN Comtrade (as reported by Japan Customs)
    dataset: trade
    url: ${server.url}
    request_interval_s: 0
    api: { type: comtrade, reporters: [JPN], partners: [WLD], flows: [M], products: [AG2], years: 2023 }
    priority: 20
`,
  );
  return { configFile, outputDir: path.join(dir, 'output') };
}

interface JsonFigure {
  id: string;
  label: string;
  value: number | null;
  formula?: string;
  provenance: { source_id: string; key: string; cell: string }[];
}

describe('the national product picture on the bundled sources plus Comtrade', () => {
  let wh: Warehouse;
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startComtrade();
    wh = await freshWarehouse('sqlite');
    const p = projectCopy(server);
    const loaded = loadConfig(p.configFile);
    const pulled = await pull({ loaded, wh, outputDir: p.outputDir }, {}, { now: day });
    for (const id of ['un-comtrade-china', 'un-comtrade-japan']) expect(pulled.find((r) => r.id === id)).toMatchObject({ status: 'loaded' });
    const [r] = await renderBriefs({ loaded, wh, outputDir: p.outputDir }, ['hlj-japan'], { langs: ['en'], formats: ['pdf', 'json'] }, { now: day });
    expect(r).toMatchObject({ status: 'rendered' });
    dir = r!.dir!;
  }, 120_000);

  afterAll(async () => {
    await wh?.close();
    await server?.close();
  });

  it('the PDF says the product figures are national, then gives them with chapter and section names', () => {
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'brief.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain("Heilongjiang's own trade by HS product is not available in the loaded sources, so the product indicators below are national: they describe China as a whole");
    expect(text).toContain("the trade complementarity index of China's exports to the world with Japan's imports from the world was 41.5");
    expect(text).toContain(
      "Of the 4 HS chapters compared, China's highest revealed comparative advantage in Japan's market in 2023 was in HS 94 (RCA 6.00; 15.0% of its exports to Japan), HS 62 (RCA 4.00; 20.0% of its exports to Japan) and HS 85 (RCA 2.00; 60.0% of its exports to Japan).",
    );
    expect(text).toContain("China (national level): revealed comparative advantage in Japan's market by HS chapter, 2023");
    expect(text).toContain('94 XX Miscellaneous manufactured articles 6.00 15.0 15,000.0');
    // The formulas table: the name wraps in its cell around the formula.
    expect(text).toMatch(/Revealed comparative advantage in the partner RCA_j = \(x_ijk \/ X_ij\) \/ \(m_jk \/ M_j\) market/);
    expect(text).not.toContain('need HS product-level trade');
    expect(text).not.toContain('\uFFFD');
  });

  it('the JSON carries each new number with the warehouse rows behind it', async () => {
    const json = JSON.parse(readFileSync(path.join(dir, 'brief.json'), 'utf8')) as { figures: JsonFigure[] };
    const fig = (id: string) => json.figures.find((f) => f.id === id)!;
    const rca = fig('rcaInMarket.CHN.JPN.HS:94.2023');
    expect(rca.value).toBeCloseTo(6, 10);
    expect(rca.formula).toBe('RCA_j = (x_ijk / X_ij) / (m_jk / M_j)');
    expect(new Set(rca.provenance.map((p) => p.source_id))).toEqual(new Set(['un-comtrade-china', 'un-comtrade-japan']));
    expect(rca.provenance).toHaveLength(8);
    expect(fig('trade.CHN.JPN.export.HS:94.share.2023').value).toBeCloseTo(15, 10);
    expect(fig('trade.CHN.JPN.export.HS:94.2023').value).toBeCloseTo(15 * B, 0);
    expect(fig('complementarity.CHN.JPN.2023').value).toBeCloseTo(41.5, 10);
    // Each cited row is a row of the warehouse, by its full natural key.
    for (const p of fig('complementarity.CHN.JPN.2023').provenance) {
      const [reporter, partner, flow, product, period, , source_id] = p.key.split('|');
      const stored = await wh.db
        .selectFrom('trade_flow')
        .select('value_usd')
        .where('reporter', '=', reporter!)
        .where('partner', '=', partner!)
        .where('flow', '=', flow!)
        .where('product', '=', product!)
        .where('period', '=', period!)
        .where('source_id', '=', source_id!)
        .executeTakeFirst();
      expect(stored, p.key).toBeDefined();
    }
  });
});
