// `pboc-incident`: the command-line contract of design.md. JSON on stdin, JSON on stdout; bad input exits 2.
import { runCli, type CliContext } from './run.ts';

// The statutory floor unless INSTITUTION_CONFIG names the institution's file: then its stricter
// rules (Art. 6) and holiday overrides apply too. The bundled example is never applied here. The config module
// (and its YAML parser) loads only then: a call on the statutory floor does not pay for it.
let ctx: CliContext = { rules: [], holidays: {} };
if (process.env.INSTITUTION_CONFIG?.trim()) {
  const { ConfigError, loadInstitutionConfig, regimeSettingsOf } = await import('../../src/config/institution.ts');
  try {
    const { config } = loadInstitutionConfig(process.env);
    ctx = { rules: config.gradingRules, holidays: config.holidays ?? {}, regimeSettings: regimeSettingsOf(config) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
}

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  nowMs: Date.now(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
}, ctx);
process.exitCode = code;
