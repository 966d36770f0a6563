import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, nodeDescendants, root } from '../scripts/lib/server.js';

const TOKEN = 'cluster-test-token-0123456789abcdef';

/** One request on a connection of its own, so the cluster hands it to the next worker in turn. */
function request(
  port: number,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || '{}') }));
      },
    );
    req.on('error', reject);
    // A connection handed to a worker at the moment it dies is never answered.
    req.setTimeout(5000, () => req.destroy(new Error(`${method} ${url}: no answer in 5 s`)));
    req.end(data);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The snapshot ids ten fresh connections are served from. */
async function servedSnapshots(port: number): Promise<Set<unknown>> {
  const ids = new Set<unknown>();
  for (let i = 0; i < 10; i++) ids.add((await request(port, 'GET', '/readyz')).json.snapshot);
  return ids;
}

describe('WORKERS=2: two server processes share the port', () => {
  let dataDir: string;
  let port: number;
  let primary: ChildProcess;
  /** What the primary and the workers logged (JSON lines). */
  let log = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-cluster-'));
    port = await freePort();
    primary = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/start.ts')], {
      cwd: root,
      env: {
        ...process.env,
        WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        CORPUS_DIR: path.join(root, 'corpus'),
        ADMIN_TOKEN: TOKEN,
        LOG_LEVEL: 'info',
        RATE_LIMIT_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    primary.stdout!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    await until('two ready workers', async () => (/2 workers serving/u.test(log) ? true : undefined));
  }, 120_000);

  afterAll(async () => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers citizens from either worker', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await request(port, 'POST', '/api/chat', { message: 'Đăng ký thường trú cần giấy tờ gì?' });
      expect(res.status).toBe(200);
      expect(String(res.json.answer)).not.toBe('');
    }
  });

  it('a re-index started in one worker is followed from both, and both then serve its snapshot', async () => {
    const [before] = await servedSnapshots(port);
    const started = await request(port, 'POST', '/admin/api/reindex', { full: true });
    expect(started.status).toBe(202);
    const id = (started.json.job as { id: string }).id;
    // The job reaches the other worker in a message of the primary's, well within this pause.
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 2; i++)
      expect((await request(port, 'POST', '/admin/api/reindex', { full: true })).status).toBe(409);
    // Every status poll lands on one worker or the other; both know the job.
    const statuses = new Set<number>();
    const job = await until('the job to end', async () => {
      const res = await request(port, 'GET', `/admin/api/reindex/${id}`);
      statuses.add(res.status);
      const j = res.json.job as { state: string } | undefined;
      return j && j.state !== 'running' ? j : undefined;
    });
    expect([...statuses]).toEqual([200]);
    expect(job.state).toBe('succeeded');
    const after = await until('both workers to serve the new snapshot', async () => {
      const ids = await servedSnapshots(port);
      return ids.size === 1 && !ids.has(before) ? [...ids][0] : undefined;
    });
    expect(after).toEqual(expect.any(String));
  }, 120_000);

  it('a worker that dies is replaced while the other keeps answering', async () => {
    const before = await nodeDescendants(primary.pid!);
    const first = before[0];
    process.kill(first!, 'SIGKILL');
    const answered = await until('an answer', async () => (await request(port, 'GET', '/healthz')).status);
    expect(answered).toBe(200);
    const replacement = await until('a replacement worker', async () => {
      const now = await nodeDescendants(primary.pid!);
      return now.length === 2 && !now.includes(first!) ? now.find((pid) => !before.includes(pid)) : undefined;
    });
    await until('it to serve', async () =>
      log.includes(`worker ${replacement} serving`) ? true : undefined,
    );
    const ids = await servedSnapshots(port);
    expect(ids.size).toBe(1);
    expect(ids.has(undefined)).toBe(false);
  }, 120_000);

  it('stops every worker on SIGTERM', async () => {
    const children = await nodeDescendants(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
  }, 30_000);
});
