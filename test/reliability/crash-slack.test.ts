// Nothing acknowledged is lost: signed slash commands in flight, the bot killed with SIGKILL mid-burst, restarted.
// Every command Slack got its 200 for is in the record exactly once; none is recorded twice. On a SQLite file and on
// a Redis with an append-only file (a private server: the shared one keeps nothing on disk). The run itself is
// test/fakes/slack-crash.ts (bench/crash-slack.ts reports the same run).
import { runSlackCrash } from '../fakes/slack-crash.ts';
import { crashSuite } from './crash-suite.ts';

crashSuite({ platform: 'Slack', unit: 'command', run: runSlackCrash, acknowledged: [80, 240] });
