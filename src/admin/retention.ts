import type { Logger } from 'pino';
import type { AssistantStore, PurgeCounts } from '../answer/store.js';
import { describeError } from '../errors.js';

const DAY_MS = 86_400_000;

/**
 * Removes conversations, messages and feedback older than `days` days (0: keeps everything and
 * returns null), keeping the gap report's counts, and records an audit entry with the counts.
 */
export async function purgePersonalData(
  store: AssistantStore,
  days: number,
  now: Date,
  actor = 'system',
): Promise<PurgeCounts | null> {
  if (days <= 0) return null;
  const before = new Date(now.getTime() - days * DAY_MS).toISOString();
  try {
    const counts = await store.purgeBefore(before);
    await store.addAudit({
      actor,
      action: 'purge',
      target: `trước ${before}`,
      result: 'ok',
      detail: JSON.stringify(counts),
    });
    return counts;
  } catch (err) {
    await store.addAudit({
      actor,
      action: 'purge',
      target: `trước ${before}`,
      result: 'error',
      detail: describeError(err),
    });
    throw err;
  }
}

/** Runs the purge now and then every `everyMs` (default daily); `stop()` ends it. Failures are logged, never thrown. */
export function scheduleRetention(deps: {
  store: AssistantStore;
  days: number;
  logger: Logger;
  now?: () => Date;
  everyMs?: number;
}): { stop: () => void; ran: Promise<void> } {
  const now = deps.now ?? (() => new Date());
  const run = () =>
    purgePersonalData(deps.store, deps.days, now()).then(
      (c) => {
        if (c)
          deps.logger.info({ retention: c }, `retention: removed personal data older than ${deps.days} days`);
      },
      (err: unknown) => deps.logger.error({ err: describeError(err) }, 'retention purge failed'),
    );
  if (deps.days <= 0) return { stop: () => {}, ran: Promise.resolve() };
  const ran = run();
  const timer = setInterval(() => void run(), deps.everyMs ?? DAY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), ran };
}
