// The single source of truth for the config file's shape. Types are inferred from it and
// config/tradebrief.schema.json (for editors) is generated from it by `npm run schema`;
// tests/config/schema.test.ts fails when the committed JSON Schema drifts.
import { createRequire } from 'node:module';
import type NodeCron from 'node-cron';
import * as z from 'zod';
import { comtradeParams } from '../pipelines/api/comtrade.js';
import { estatParams } from '../pipelines/api/estat.js';
import { worldbankParams } from '../pipelines/api/worldbank.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes (used in file names), e.g. hlj-trade')
  .describe('Identifier used in the CLI, the logs, the warehouse and file names.');

// node-cron is required by the first config with a schedule, not by every command that reads the config.
const require = createRequire(import.meta.url);
let cron: typeof NodeCron | undefined;

const cronExpression = z
  .string()
  .refine((v) => (cron ??= require('node-cron') as typeof NodeCron).validate(v), 'is not a cron expression (5 fields, or 6 with seconds first), e.g. "0 6 2 * *"');

// The canonical IANA list answers in ~3 ms; constructing a formatter loads ICU's zone data (~20 ms of
// every command's start-up), so that only runs for names the list lacks (aliases such as Asia/Calcutta).
let zones: Set<string> | undefined;
function validTimeZone(tz: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const code = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,15}$/, 'must be a code such as JPN, CN-HL or WLD');

/** Values a table does not carry, applied to every record (e.g. the reporter of a provincial table). */
export const FixedSchema = z
  .strictObject({
    reporter: code.optional().describe('Reporting region code (trade), e.g. CN-HL.'),
    partner: code.optional().describe('Partner code when the whole table is about one partner, e.g. WLD.'),
    flow: z.enum(['export', 'import', 'total', 're-export', 're-import']).optional(),
    product: z.string().optional().describe('TOTAL or HS:xxxx; default TOTAL.'),
    period: z.string().optional().describe('Period when the table has none, e.g. 2023.'),
    host: code.optional().describe('Host region of investment, e.g. CN-HL.'),
    investor: code.optional(),
    measure: z.enum(['projects', 'contracted', 'utilized']).optional(),
    region: code.optional().describe('Region of indicator tables, e.g. CN-HL.'),
    code: z.string().optional().describe('Indicator code when the table holds one indicator, e.g. gdp.'),
    currency: z.string().regex(/^[A-Z]{3}$/).optional().describe('Currency of an FX table, e.g. CNY.'),
  })
  .describe('Values the table does not carry.');

export const LayoutSchema = z
  .strictObject({
    title_rows: z.number().int().min(0).max(20).optional().describe('Rows above the header; detected when absent.'),
    header_rows: z.number().int().min(1).max(3).optional().describe('Header rows (1–3, merged cells allowed); detected when absent.'),
    orientation: z.enum(['wide', 'long']).optional().describe('wide: periods across columns; long: periods down rows.'),
    label_columns: z.number().int().min(1).max(4).optional().describe('Columns of row labels at the left; detected when absent.'),
  })
  .describe('Overrides of what table detection finds.');

export const SourceSchema = z.strictObject({
  id,
  title: z.string().optional().describe('Human title shown in the brief\'s Data and methods section.'),
  publisher: z.string().optional().describe('Who publishes the data, shown in the brief.'),
  dataset: z.enum(['trade', 'investment', 'indicator', 'fx']),
  url: z
    .string()
    .min(1)
    .describe('A path (relative to the config file), file:, http: or https: URL. ${ENV} is interpolated. With `api`, the API root, e.g. https://api.worldbank.org/v2.'),
  api: z
    .discriminatedUnion('type', [worldbankParams, comtradeParams, estatParams])
    .optional()
    .describe('Read the source from a publisher\'s API (JSON, paged) instead of one spreadsheet file.'),
  request_interval_s: z
    .number()
    .min(0)
    .max(60)
    .default(0)
    .describe('With `api`: the least time between two requests, for publishers that limit the request rate (default 0).'),
  enabled: z.boolean().default(true),
  schedule: cronExpression.optional().describe('Cron expression (in `timezone`) for the scheduler; else only on run/pull.'),
  headers: z.record(z.string(), z.string()).optional().describe('HTTP request headers; use ${ENV} for secrets.'),
  fixed: FixedSchema.optional(),
  sheet: z
    .union([z.string(), z.array(z.string()).min(1)])
    .optional()
    .describe('Sheet name(s) to read; default every sheet that holds a table.'),
  unit: z.string().optional().describe('Unit of the values, e.g. "10k USD" or 万美元; detected from the title/header when absent.'),
  layout: LayoutSchema.optional(),
  only: z
    .array(code)
    .min(1)
    .optional()
    .describe('Places to keep (partners of trade, investors of investment, regions of indicators); rows of others are skipped, not rejected. E.g. [CHN, JPN] for a download that lists every economy.'),
  priority: z.number().int().default(0).describe('When two sources give the same fact, the higher priority wins in the brief.'),
  max_reject_share: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe('A run whose rejected share of values exceeds this fails and loads nothing (default 0.05).'),
  timeout_s: z.number().positive().default(120).describe('Total deadline for one download, in seconds (default 120).'),
  max_bytes: z
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024)
    .describe('Largest download accepted, in bytes (default 200 MiB).'),
  retries: z.number().int().min(0).max(10).default(3).describe('Retries on network errors, 429 and 5xx (default 3).'),
});

export const BriefSchema = z.strictObject({
  id,
  title: z.string().optional(),
  subject: code.describe('The region the brief is about, e.g. CN-HL.'),
  partner: code.describe('The focus partner, e.g. JPN.'),
  comparators: z.array(code).default([]).describe('Regions shown side by side with the subject, e.g. [CN-LN, CN-JL, CHN].'),
  languages: z.array(z.enum(['en', 'zh', 'ja'])).min(1).default(['en']),
  formats: z.array(z.enum(['pdf', 'xlsx', 'json'])).min(1).default(['pdf', 'xlsx', 'json']),
  schedule: cronExpression.optional().describe('Cron expression for regenerating the brief on its own schedule.'),
});

const FolderTarget = z.strictObject({ type: z.literal('folder'), id, path: z.string().min(1), briefs: z.array(id).optional() });
const EmailTarget = z.strictObject({
  type: z.literal('email'),
  id,
  host: z.string().min(1),
  port: z.coerce.number().int().positive().default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
  briefs: z.array(id).optional(),
});
const WebhookTarget = z.strictObject({
  type: z.literal('webhook'),
  id,
  url: z.string().url(),
  headers: z.record(z.string(), z.string()).optional(),
  briefs: z.array(id).optional(),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  include: z
    .union([z.string(), z.array(z.string()).min(1)])
    .optional()
    .describe('Config file(s) read first (relative to this file); this file\'s sources, briefs and targets are added, and replace included ones with the same id.'),
  timezone: z
    .string()
    .refine(validTimeZone, 'is not an IANA time zone, e.g. Asia/Shanghai')
    .default('Asia/Shanghai')
    .describe('IANA time zone of the cron schedules.'),
  sources: z.array(SourceSchema).default([]),
  briefs: z.array(BriefSchema).default([]),
  distribute: z.array(z.discriminatedUnion('type', [FolderTarget, EmailTarget, WebhookTarget])).default([]),
});

export type Config = z.infer<typeof ConfigSchema>;
export type SourceConfig = z.infer<typeof SourceSchema>;
export type BriefConfig = z.infer<typeof BriefSchema>;
export type FixedValues = z.infer<typeof FixedSchema>;
export type LayoutOverrides = z.infer<typeof LayoutSchema>;
export type DistributeTarget = Config['distribute'][number];

/** The JSON Schema editors use (yaml-language-server), generated from ConfigSchema. */
export function configJsonSchema(): object {
  return z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12' });
}
