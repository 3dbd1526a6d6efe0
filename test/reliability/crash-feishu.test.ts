// Nothing acknowledged is lost (Feishu): signed message events in flight from many chats, the bot killed with SIGKILL
// mid-burst, restarted. Every event Feishu got its 200 for is in the record exactly once; none is recorded twice. On a
// SQLite file and on a Redis with an append-only file (a private server: the shared one keeps nothing on disk).
// The run itself is test/fakes/feishu-crash.ts (bench/crash-feishu.ts reports the same run).
import { runFeishuCrash } from '../fakes/feishu-crash.ts';
import { crashSuite } from './crash-suite.ts';

crashSuite({ platform: 'Feishu', unit: 'message', run: runFeishuCrash, acknowledged: [70, 200] });
