/**
 * npm run purge
 * Removes conversations, messages and feedback older than RETENTION_DAYS (default 365; 0 keeps
 * everything), keeping the gap report's counts per masked question, and records the counts in the
 * audit log. The server does the same at start and daily; this is for cron or a one-off run.
 */
import { purgePersonalData } from '../src/admin/retention.js';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/index.js';
import { runCommand } from './lib/run.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config.dataDir);
  try {
    const counts = await purgePersonalData(store, config.retentionDays, new Date(), 'cli');
    if (!counts) console.log('RETENTION_DAYS=0: personal data is kept without limit; nothing removed');
    else
      console.log(
        `removed data older than ${counts.before}: ${counts.conversations} conversations, ${counts.messages} messages, ${counts.feedback} feedback, ${counts.unanswered} unanswered questions (kept as ${counts.gapsArchived} gap-report counts)`,
      );
    return 0;
  } finally {
    await store.close();
  }
}

runCommand('purge', main);
