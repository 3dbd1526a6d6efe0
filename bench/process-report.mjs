// `node --import ./bench/process-report.mjs ...`: at exit, writes this process's CPU time and peak RSS as JSON to
// the file named by BENCH_REPORT (the start-up bench reads it; a parent cannot get a child's rusage from Node).
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.BENCH_REPORT) return;
  const cpu = process.cpuUsage();
  writeFileSync(process.env.BENCH_REPORT, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
});
