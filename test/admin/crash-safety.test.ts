import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openIndex } from '../../src/admin/first-start.js';
import { loadConfig } from '../../src/config.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs `npm run reindex -- --full` as a child process; kills it with SIGKILL when a progress line starts with `killAt`. */
function reindexChild(
  dataDir: string,
  killAt?: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killedAfter?: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/reindex.ts'), '--full'],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, CORPUS_DIR: path.join(ROOT, 'corpus') },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let seen: string | undefined;
    let buffer = '';
    child.stderr.on('data', (d: Buffer) => {
      buffer += d.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (killAt && seen === undefined && line.startsWith(killAt)) {
          seen = line;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, ...(seen ? { killedAfter: seen } : {}) }));
  });
}

describe('crash safety of a re-index', () => {
  it('SIGKILL at any phase of a re-index leaves the last published snapshot in service, and the next re-index completes', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-crash-'));
    const first = await reindexChild(dataDir);
    expect(first.code).toBe(0);
    const store = new SnapshotStore(dataDir, 5);
    const published = await store.currentId();
    expect(published).not.toBeNull();
    for (const phase of ['Đọc tệp', 'Chỉ mục từ', 'Nhúng vector', 'Xuất bản: 0/1']) {
      const run = await reindexChild(dataDir, phase);
      expect(run.signal, `killed at ${phase}`).toBe('SIGKILL');
      // A restart serves a complete snapshot: the one published before, or the new one if its publication had finished.
      const config = loadConfig({ ...process.env, DATA_DIR: dataDir, CORPUS_DIR: path.join(ROOT, 'corpus') });
      const logs: string[] = [];
      const retriever = await openIndex(config, (l) => logs.push(l));
      const serving = retriever.snapshot.manifest.id;
      expect((await store.list()).map((s) => s.id)).toContain(serving);
      expect(serving).toBe(await store.currentId());
      expect((await retriever.retrieve('lệ phí đăng ký khai sinh')).results.length).toBeGreaterThan(0);
      // Half-written folders of the killed build are cleaned up at start.
      expect((await readdir(path.join(dataDir, 'snapshots'))).filter((n) => n.startsWith('.tmp-'))).toEqual(
        [],
      );
    }
    const last = await reindexChild(dataDir);
    expect(last.code).toBe(0);
    expect(await store.currentId()).not.toBe(published);
    await rm(dataDir, { recursive: true, force: true });
  });
});
