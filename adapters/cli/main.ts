// `pboc-incident`: the command-line contract of design.md. JSON on stdin, JSON on stdout; bad input exits 2.
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  nowMs: Date.now(),
  env: process.env,
});
process.exitCode = code;
