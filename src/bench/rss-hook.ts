// Preloaded (`node --import`) into a measured child when GNU time is missing: reports the process's
// peak RSS on stderr as it exits, for measure.ts to read.
process.on('exit', () => {
  process.stderr.write(`__bench_maxrss_kib=${process.resourceUsage().maxRSS}\n`);
});
