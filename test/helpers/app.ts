import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { reindex } from '../../src/admin/reindex.js';
import { createAssistant, type AssistantDeps } from '../../src/answer/assistant.js';
import type { Assistant } from '../../src/answer/types.js';
import { createApp, type AppDeps } from '../../src/channels/app.js';
import { createLogger } from '../../src/channels/http/logger.js';
import { createMetrics } from '../../src/channels/http/metrics.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

/** The bundled corpus indexed as `npm start` does it, in a temporary DATA_DIR removed once the index is in memory. */
export async function bundledRetriever(): Promise<Retriever> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-bundled-'));
  const store = new SnapshotStore(dataDir);
  const report = await reindex(
    store,
    { kind: 'lsa' },
    { paths: [path.resolve(import.meta.dirname, '../../corpus')] },
  );
  if (report.failed.length > 0)
    throw new Error(`bundled corpus failed: ${report.failed.map((f) => f.path).join(', ')}`);
  const snapshot = await store.loadCurrent({ kind: 'lsa' });
  if (!snapshot) throw new Error('no snapshot was published');
  await rm(dataDir, { recursive: true, force: true });
  return new Retriever(snapshot);
}

/** Log lines captured in memory, parsed as JSON. */
export function memoryLog(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

/** A full app (real assistant, in-memory SQLite, captured logs) listening on loopback. */
export async function startApp(
  retriever: () => Retriever | null,
  options: Omit<Partial<AppDeps>, 'assistant'> & { assistant?: Partial<AssistantDeps> } = {},
): Promise<{
  base: string;
  server: Server;
  store: SqliteStore;
  assistant: Assistant;
  logs: Record<string, unknown>[];
  close: () => Promise<void>;
}> {
  const store = SqliteStore.open(':memory:');
  const log = memoryLog();
  const metrics = options.metrics ?? createMetrics();
  const assistant = createAssistant({
    retriever,
    store,
    handoffContact: 'Tổng đài 1022',
    onAnswer: (a, q) => metrics.answers.inc({ channel: q.channel, outcome: a.outcome }),
    ...options.assistant,
  });
  const { assistant: _ignored, ...appOptions } = options;
  const app = createApp({
    retriever,
    assistant,
    store,
    logger: createLogger({ level: 'info', destination: log.stream }),
    metrics,
    ...appOptions,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  };
  return { base, server, store, assistant, logs: log.lines, close };
}
