// One measured run: a whole child process, its wall time and peak RSS. Peak RSS comes from GNU
// `/usr/bin/time -v` when the machine has it, else from the child itself (a preloaded hook prints
// `process.resourceUsage().maxRSS` on exit). A run over its time budget is killed with its process
// group and reported as timed out, so a slow case never hangs the benchmark.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface RunResult {
  ok: boolean;
  timedOut: boolean;
  code: number | null;
  seconds: number;
  /** Peak resident set size, MiB; null when it could not be read. */
  rssMiB: number | null;
  stdout: string;
  stderr: string;
}

export interface RunSpec {
  /** Arguments to `node` (script and its arguments). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the run after this long. */
  timeoutMs: number;
}

const GNU_TIME = '/usr/bin/time';
const RSS_MARK = '__bench_maxrss_kib=';
const hasGnuTime = existsSync(GNU_TIME);

/** How peak memory is measured on this machine, for the report. */
export function rssMethod(): string {
  return hasGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS';
}

/** `--import` of the RSS hook: compiled, or its source through tsx when the bench runs from src. */
function rssHook(): string[] {
  const js = new URL('./rss-hook.js', import.meta.url);
  if (existsSync(js)) return ['--import', js.href];
  return ['--import', 'tsx', '--import', new URL('./rss-hook.ts', import.meta.url).href];
}

export function runNode(spec: RunSpec): Promise<RunResult> {
  const nodeArgs = hasGnuTime ? spec.args : [...rssHook(), ...spec.args];
  const [cmd, args] = hasGnuTime ? [GNU_TIME, ['-v', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve) => {
    const t0 = performance.now();
    // Its own process group, so a timeout kills the child and anything it started.
    const child = spawn(cmd, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout = keepTail(stdout + d.toString());
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = keepTail(stderr + d.toString());
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, spec.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      let rssMiB: number | null = null;
      const gnu = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const own = new RegExp(`${RSS_MARK}(\\d+)`).exec(stderr);
      if (gnu) rssMiB = Number(gnu[1]) / 1024;
      else if (own) rssMiB = Number(own[1]) / 1024;
      // GNU time's own report is not the child's output.
      const childErr = stderr.replace(/\n?\s*Command (being timed|exited with non-zero status)[\s\S]*$/, '').replace(new RegExp(`${RSS_MARK}\\d+\\n?`), '');
      resolve({ ok: !timedOut && code === 0, timedOut, code, seconds, rssMiB, stdout, stderr: childErr });
    });
  });
}

/** The last 64 kB of a stream is all a report needs (GNU time's lines come last). */
function keepTail(s: string): string {
  return s.length > 65_536 ? s.slice(-65_536) : s;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
