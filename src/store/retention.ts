import type { Database } from 'better-sqlite3';
import type { PurgeCounts } from '../answer/store.js';

/**
 * Prepares the retention purge: everything citizens wrote before a time goes, except the counts the
 * gap report needs, which move to `gap_archive` (per folded question and channel, with the latest
 * wording — questions are stored with personal data masked).
 */
export function preparePurge(db: Database): (before: string) => PurgeCounts {
  // Conversations whose last activity and every message are older than the cut-off.
  const oldConversations = `SELECT c.id FROM conversations c WHERE c.updated_at < @before
    AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.created_at >= @before)`;
  const archiveGaps = db.prepare<{ before: string }>(
    `INSERT INTO gap_archive (normalized, channel, example, count, first_asked_at, last_asked_at)
       SELECT u.normalized, u.channel,
         (SELECT e.question FROM unanswered e WHERE e.normalized = u.normalized AND e.channel = u.channel AND e.created_at < @before ORDER BY e.id DESC LIMIT 1),
         COUNT(*), MIN(u.created_at), MAX(u.created_at)
       FROM unanswered u WHERE u.created_at < @before GROUP BY u.normalized, u.channel
     ON CONFLICT (normalized, channel) DO UPDATE SET
       count = count + excluded.count,
       first_asked_at = MIN(first_asked_at, excluded.first_asked_at),
       example = CASE WHEN excluded.last_asked_at >= last_asked_at THEN excluded.example ELSE example END,
       last_asked_at = MAX(last_asked_at, excluded.last_asked_at)`,
  );
  const deleteUnanswered = db.prepare<{ before: string }>(
    'DELETE FROM unanswered WHERE created_at < @before',
  );
  const deleteFeedback = db.prepare<{ before: string }>(
    `DELETE FROM feedback WHERE created_at < @before
       OR message_id IN (SELECT id FROM messages WHERE created_at < @before)
       OR conversation_id IN (${oldConversations})`,
  );
  const deleteMessages = db.prepare<{ before: string }>(
    `DELETE FROM messages WHERE created_at < @before OR conversation_id IN (${oldConversations})`,
  );
  const deleteConversations = db.prepare<{ before: string }>(
    `DELETE FROM conversations WHERE id IN (${oldConversations})`,
  );
  return db.transaction((before: string): PurgeCounts => {
    const p = { before };
    const gapsArchived = archiveGaps.run(p).changes;
    const unanswered = deleteUnanswered.run(p).changes;
    // Feedback first, then messages, then conversations: each count is what that step removed,
    // not rows that went by cascade.
    const feedback = deleteFeedback.run(p).changes;
    const messages = deleteMessages.run(p).changes;
    const conversations = deleteConversations.run(p).changes;
    return { before, conversations, messages, feedback, unanswered, gapsArchived };
  });
}
