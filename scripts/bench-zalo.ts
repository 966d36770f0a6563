/**
 * npm run bench:zalo [-- --corpus <file or folder>] [--events 100] [--duplicates 10] [--bursts 3]
 * Starts the server (child process, as `npm start`) with Zalo configured against a fake Zalo API on
 * loopback, then (after an unmeasured warm-up burst) posts `bursts` times `events` signed text
 * events at once, `duplicates` of which are re-sent copies (Zalo's retries), and reports the acknowledgement latency
 * (p50 / p99 / max), how long until every answer was delivered, and whether every non-duplicate
 * event was answered exactly once. Then one JSON line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { reindex } from '../src/admin/reindex.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { parseArgs } from './lib/args.js';
import { signZaloEvent, startFakeZalo, zaloEvent } from './lib/fake-zalo.js';
import { buildProgressBar } from './lib/progress.js';
import { percentile, root, rssMb, startServerProcess } from './lib/server.js';

const APP_ID = '4321098765432109876';
const OA_SECRET = 'bench-oa-secret-key';

/** One POST on its own connection, as Zalo's servers send events; resolves with the status once the answer is read. */
function postEvent(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), ['bursts', 'corpus', 'duplicates', 'events']);
  const config = loadConfig();
  const corpus = path.resolve(String(flags.get('corpus') ?? config.corpusDir));
  const events = Number(flags.get('events') ?? 100);
  const duplicates = Math.min(Math.floor(events / 2), Number(flags.get('duplicates') ?? 10));
  const rounds = Math.max(1, Number(flags.get('bursts') ?? 3));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-bench-zalo-'));
  const fake = await startFakeZalo({ appSecret: 'bench-app-secret' });
  try {
    const bar = buildProgressBar();
    const report = await reindex(
      new SnapshotStore(dataDir),
      config.embedder,
      { paths: [corpus] },
      { files: bar.onFile, build: bar.onBuild },
    );
    bar.stop();
    const { child, base } = await startServerProcess({
      DATA_DIR: dataDir,
      ZALO_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_APP_SECRET: 'bench-app-secret',
      ZALO_ACCESS_TOKEN: fake.validAccessToken,
      ZALO_REFRESH_TOKEN: fake.validRefreshToken,
      ZALO_API_BASE_URL: fake.url,
      ZALO_OAUTH_BASE_URL: fake.url,
    });
    try {
      const questions = (await readFile(path.join(root, 'scripts/bench-questions.txt'), 'utf8'))
        .split('\n')
        .filter(Boolean);
      const eventsFor = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) =>
          signZaloEvent(
            zaloEvent('user_send_text', APP_ID, `${prefix}-user-${i}`, {
              text: questions[i % questions.length]!,
              msgId: `${prefix}-msg-${i}`,
            }),
            OA_SECRET,
          ),
        );
      // Waits until `users` users have had their answers and nothing more arrives for 1 s.
      const drain = async (users: number) => {
        const deadline = Date.now() + 120_000;
        let last = -1;
        let quietSince = Date.now();
        while (Date.now() < deadline) {
          if (fake.sent.length !== last) {
            last = fake.sent.length;
            quietSince = Date.now();
          } else if (new Set(fake.sent.map((m) => m.userId)).size >= users && Date.now() - quietSince > 1000)
            return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      // A server in service has answered before: warm it (and this client) up with two bursts that are not measured.
      for (const w of ['warm-a', 'warm-b']) {
        fake.sent.length = 0;
        const warm = eventsFor(w, events);
        await Promise.all(warm.map(({ body, headers }) => postEvent(`${base}/webhooks/zalo`, body, headers)));
        await drain(warm.length);
      }
      const acks: number[] = [];
      let failed = 0;
      let answeredUsers = 0;
      let repeated = 0;
      let messages = 0;
      const deliveredMs: number[] = [];
      for (let round = 0; round < rounds; round++) {
        fake.sent.length = 0;
        const unique = eventsFor(`r${round}`, events - duplicates);
        // Zalo re-sends an event it thinks was not received: the same bytes again, in the same burst.
        const batch = [...unique, ...unique.slice(0, duplicates)];
        const started = performance.now();
        const burstAcks: number[] = [];
        await Promise.all(
          batch.map(async ({ body, headers }) => {
            const t = performance.now();
            const status = await postEvent(`${base}/webhooks/zalo`, body, headers);
            acks.push(performance.now() - t);
            burstAcks.push(performance.now() - t);
            if (status !== 200) failed++;
          }),
        );
        burstAcks.sort((a, b) => a - b);
        console.log(
          `burst ${round + 1}: ack p50 ${percentile(burstAcks, 0.5)} ms · p99 ${percentile(burstAcks, 0.99)} ms`,
        );
        await drain(unique.length);
        deliveredMs.push(Math.round(performance.now() - started - 1000));
        // Exactly once: every user answered, and nobody received the same text twice.
        const perUser = new Map<string, string[]>();
        for (const m of fake.sent) perUser.set(m.userId, [...(perUser.get(m.userId) ?? []), m.text]);
        answeredUsers += perUser.size;
        repeated += [...perUser.values()].filter((texts) => new Set(texts).size !== texts.length).length;
        messages += fake.sent.length;
      }
      const expectedUsers = rounds * (events - duplicates);
      acks.sort((a, b) => a - b);
      const summary = {
        corpus: path.relative(root, corpus) || corpus,
        documents: report.documents,
        events_per_burst: events,
        duplicates_per_burst: duplicates,
        bursts: rounds,
        ack_p50_ms: percentile(acks, 0.5),
        ack_p99_ms: percentile(acks, 0.99),
        ack_max_ms: percentile(acks, 1),
        non_200: failed,
        answered_users: answeredUsers,
        expected_users: expectedUsers,
        repeated_answers: repeated,
        messages_sent: messages,
        all_answered_ms: Math.max(...deliveredMs),
        exactly_once: answeredUsers === expectedUsers && repeated === 0,
        peak_rss_mb: await rssMb(child.pid!),
      };
      console.log(
        `\n${rounds} bursts of ${events} signed events at once (${duplicates} of them re-sent duplicates): ack p50 ${summary.ack_p50_ms} ms · p99 ${summary.ack_p99_ms} ms · max ${summary.ack_max_ms} ms · ${failed} non-200`,
      );
      console.log(
        `answered ${answeredUsers}/${expectedUsers} users, ${repeated} repeated answers, ${messages} messages, a burst fully answered within ${summary.all_answered_ms} ms · exactly once: ${summary.exactly_once ? 'yes' : 'NO'}`,
      );
      console.log(JSON.stringify(summary));
      if (!summary.exactly_once || failed > 0) process.exitCode = 1;
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench:zalo failed: ${describeError(err)}`);
  process.exit(1);
});
