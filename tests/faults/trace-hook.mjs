// Preloaded (NODE_OPTIONS=--import) into a `tradebrief pull` the crash suite kills: it prints, on
// stderr and synchronously, when the load transaction starts and commits, so a kill can be aimed
// inside it. It only watches SQL text; it changes nothing. better-sqlite3 and pg are CommonJS, so
// patching them through require() patches the instances the CLI's own imports get.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const say = (what) => writeSync(2, `TRACE ${what} ${process.pid} ${Date.now()}\n`);
let inLoad = false;
const watch = (text) => {
  const sql = String(text).trimStart().toLowerCase();
  if (sql.startsWith('insert into "source_file"')) {
    inLoad = true;
    say('load');
  } else if (inLoad && sql.startsWith('commit')) {
    inLoad = false;
    say('commit');
  }
};

// Only in the process that runs the CLI (tsx's launcher is a parent process without the CLI).
if (process.argv.some((a) => a.endsWith('src/cli.ts'))) {
  say('start');
  try {
    const Database = require('better-sqlite3');
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (source, ...rest) {
      watch(source);
      return prepare.call(this, source, ...rest);
    };
  } catch {
    /* not installed: nothing to watch */
  }
  try {
    const pg = require('pg');
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (config, ...rest) {
      watch(typeof config === 'string' ? config : config?.text);
      return query.call(this, config, ...rest);
    };
  } catch {
    /* not installed */
  }
}
