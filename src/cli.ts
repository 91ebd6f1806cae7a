#!/usr/bin/env node
// The only top-level catch (STYLE.md habit 6): a UserError prints one line and exits with its code;
// anything else is a bug and prints "Unexpected error" with a --debug tip. Commands lazy-load their
// module so `tradebrief --version` starts fast.
import nodeModule from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { UserError } from './errors.js';
import { createLogger } from './log.js';
import { packageVersion } from './version.js';

// Node 22.1+ (the container's Node 24): V8 keeps the compiled code of the modules a command loads
// between runs, in the OS temp folder, so a scheduled pull that finds nothing changed costs little
// more than start-up. Node 20 has no such cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/**
 * V8 optimises a function once it has run through a budget of bytecode. A render lives seconds, not
 * hours: at V8's default budget, rendering the default brief spent ≈ 1.6 s of CPU compiling code on
 * background threads that then shared the two cores with the render. Eight times the budget still
 * optimises every hot loop within milliseconds, and cut the report's CPU by a quarter (README
 * "Performance", sixth session). For the commands that render, before their code loads; node:v8
 * costs ≈ 2.5 ms to load, which a pull does not pay.
 */
async function tuneForRendering(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--interrupt-budget=1048576');
}

// dist/ is a minified bundle (scripts/build.mjs); with --debug, stack traces map back to src/ through
// its source maps. Set before any command's chunk loads, as Node reads a map when it loads the file.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);


function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

export function buildProgram(): Command {
  const program = new Command('tradebrief')
    .description('Pull trade and investment statistics into a warehouse and regenerate the policy brief.')
    .version(packageVersion())
    .option('-c, --config <file>', 'config file (default: $TRADEBRIEF_CONFIG or config/tradebrief.yaml)')
    .option('--json', 'JSON output and JSON log lines')
    .option('--debug', 'print stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const globals = () => program.opts<{ config?: string; json?: boolean; debug?: boolean }>();
  const logger = () => createLogger({ json: globals().json });

  program
    .command('pull')
    .description('extract → load the given sources (default: every enabled source)')
    .argument('[source...]', 'source ids from the config')
    .option('-f, --force', 'reload content identical to the last loaded file')
    .option('-n, --dry-run', 'print what would be pulled; write nothing')
    .action(async (ids: string[], o: { force?: boolean; dryRun?: boolean }) => {
      if (o.dryRun) {
        const { dryRunCommand } = await import('./schedule/plan.js');
        process.exitCode = await dryRunCommand(globals(), { pull: ids, render: false, distribute: false, force: o.force }, out);
        return;
      }
      const { pullCommand } = await import('./commands/pull.js');
      process.exitCode = (await pullCommand(ids, { ...globals(), ...o }, logger())).exitCode;
    });

  program
    .command('run')
    .description('pull every enabled source, regenerate the briefs whose inputs changed, then distribute them')
    .option('-f, --force', 'reload unchanged content and regenerate every brief')
    .option('-n, --dry-run', 'print what would be pulled, regenerated and distributed; write nothing')
    .action(async (o: { force?: boolean; dryRun?: boolean }) => {
      await tuneForRendering();
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await runCommand({ ...globals(), ...o }, logger());
    });

  program
    .command('report')
    .description('regenerate briefs from the warehouse as it is (default: every brief in the config)')
    .argument('[brief...]', 'brief ids from the config')
    .option('--lang <lang...>', 'languages to render (en, zh, ja); default the brief\'s languages')
    .option('--format <formats>', 'comma-separated formats: pdf,xlsx,json; default the brief\'s formats')
    .option('-n, --dry-run', 'print what would be regenerated; write nothing')
    .action(async (ids: string[], o: { lang?: string[]; format?: string; dryRun?: boolean }) => {
      if (o.dryRun) {
        const { dryRunCommand } = await import('./schedule/plan.js');
        const split = (v: string[] | string | undefined) => [v ?? []].flat().flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
        process.exitCode = await dryRunCommand(globals(), { pull: false, render: ids, distribute: false, formats: split(o.format), langs: split(o.lang) }, out);
        return;
      }
      await tuneForRendering();
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = (await reportCommand(ids, { ...globals(), ...o }, logger())).exitCode;
    });

  program
    .command('inspect')
    .description('show what the parser sees in a spreadsheet: sheets, tables, headers, units, periods, labels → codes')
    .argument('<file>', 'a spreadsheet or CSV file')
    .addOption(new Option('--dataset <dataset>', 'what the table holds').choices(['trade', 'investment', 'indicator', 'fx']).default('trade'))
    .option('--sheet <name...>', 'only these sheets')
    .option('--unit <unit>', 'override the unit, e.g. 万美元')
    .option('--header-rows <n>', 'override the number of header rows (1–3)')
    .option('--title-rows <n>', 'override the number of title rows')
    .addOption(new Option('--orientation <o>', 'periods across columns or down rows').choices(['wide', 'long']))
    .option('--reporter <code>', 'reporting region for the dry normalisation (default CN-HL)')
    .action(async (file: string, o) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      process.exitCode = await inspectCommand(file, { ...o, json: globals().json }, out);
    });

  program
    .command('status')
    .description('the latest run of every source, its facts, rejects and message')
    .option('--rejects [n]', 'also list the latest rejects (default 20)')
    .action(async (o: { rejects?: boolean | string }) => {
      const { statusCommand } = await import('./commands/status.js');
      process.exitCode = await statusCommand({ ...globals(), ...o }, out);
    });

  program
    .command('schedule')
    .description('run the scheduler: pull sources and regenerate and distribute briefs on their cron schedules, until SIGTERM')
    .option('--grace <seconds>', 'how long a stop waits for the job in progress', '25')
    .option('--no-catch-up', 'do not run overdue jobs at start')
    .action(async (o: { grace?: string; catchUp?: boolean }) => {
      await tuneForRendering();
      const { scheduleCommand } = await import('./commands/schedule.js');
      process.exitCode = await scheduleCommand({ ...globals(), ...o }, logger());
    });

  program
    .command('check')
    .description('validate the config and that local source files exist; --online: ask every source whether it answers and how fresh it is')
    .option('--online', 'send one request to each enabled source (nothing is loaded)')
    .action(async (o: { online?: boolean }) => {
      const { checkCommand } = await import('./commands/check.js');
      process.exitCode = await checkCommand({ ...globals(), ...o }, out);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" to commander's exitOverride
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`tradebrief: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`tradebrief: Unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (program.opts().debug) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    else process.stderr.write('(run again with --debug for the stack trace; this is a bug — please report it)\n');
    return 1;
  }
}

// Run when executed directly (bin or `node dist/cli.js`), not when imported by tests.
const invoked = process.argv[1] ? new URL(`file://${process.argv[1]}`).pathname : '';
if (invoked.endsWith('/cli.js') || invoked.endsWith('/cli.ts') || invoked.endsWith('/tradebrief')) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
