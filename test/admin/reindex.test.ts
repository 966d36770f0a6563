import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveIndex, ReindexJobs } from '../../src/admin/jobs.js';
import { DocumentLibrary } from '../../src/admin/library.js';
import { openIndex } from '../../src/admin/first-start.js';
import { reindex } from '../../src/admin/reindex.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';

const root = path.resolve(import.meta.dirname, '../..');
const setting = { kind: 'hashed' } as const;
let work: string;
let corpus: string;
let store: SnapshotStore;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tlcv-reindex-'));
  corpus = path.join(work, 'corpus');
  await cp(path.join(root, 'corpus', 'procedures'), path.join(corpus, 'procedures'), { recursive: true });
  await cp(
    path.join(root, 'corpus', 'legal', 'luat-cu-tru-2020.md'),
    path.join(corpus, 'luat-cu-tru-2020.md'),
  );
  store = new SnapshotStore(path.join(work, 'data'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('re-index', () => {
  it('does no work and publishes nothing when no file changed', async () => {
    const first = await reindex(store, setting, { paths: [corpus] });
    expect(first.snapshotId).not.toBeNull();
    expect(first.added.length).toBeGreaterThan(0);
    const again = await reindex(store, setting, { paths: [corpus] });
    expect(again.snapshotId).toBeNull();
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged.length).toBe(first.added.length);
    expect(await store.currentId()).toBe(first.snapshotId);
  });

  it('adds a new document and keeps the others, reporting a broken file by name without losing anything', async () => {
    const first = await reindex(store, setting, { paths: [corpus] });
    await writeFile(
      path.join(corpus, 'thong-bao.md'),
      'THÔNG BÁO\nVề việc tiếp nhận hồ sơ trực tuyến\n\nĐiều 1. Phạm vi\nTiếp nhận hồ sơ đăng ký khai sinh trực tuyến.\n',
    );
    await writeFile(path.join(corpus, 'hong.pdf'), Buffer.from('%PDF-1.7\nnot really a pdf'));
    const second = await reindex(store, setting, { paths: [corpus] });
    expect(second.added.map((p) => path.basename(p))).toEqual(['thong-bao.md']);
    expect(second.failed.map((f) => path.basename(f.path))).toEqual(['hong.pdf']);
    expect(second.failed[0]?.message).toMatch(/hong\.pdf/u);
    expect(second.documents).toBe(first.documents + 1);
    const snapshot = await store.loadCurrent(setting);
    expect(snapshot?.documents.some((d) => d.title.includes('tiếp nhận hồ sơ trực tuyến'))).toBe(true);
    expect((await readdir(path.join(work, 'data', 'snapshots'))).filter((d) => d.startsWith('.tmp'))).toEqual(
      [],
    );
  });

  it('adding a document extends the snapshot in service: the new one is found on both sides, the old ones answer as before', async () => {
    const lsa = { kind: 'lsa' } as const;
    const first = await reindex(store, lsa, { paths: [corpus] });
    const before = await store.loadCurrent(lsa);
    const { Retriever } = await import('../../src/retrieve/retriever.js');
    const oldTop = (await new Retriever(before!).retrieve('đăng ký thường trú cần giấy tờ gì')).results[0]!
      .doc.id;
    await writeFile(
      path.join(corpus, 'zz-thong-bao.md'),
      'THÔNG BÁO\nVề việc tiếp nhận hồ sơ qua kiốt tự phục vụ\n\nĐiều 1. Phạm vi\nKiốt tự phục vụ tiếp nhận hồ sơ đăng ký khai sinh.\n',
    );
    const second = await reindex(store, lsa, { paths: [corpus] });
    expect(second.extended).toBe(true);
    expect(second.documents).toBe(first.documents + 1);
    const after = await store.loadCurrent(lsa);
    expect(after!.manifest.embedder).toEqual(before!.manifest.embedder);
    expect(after!.vector!.size).toBe(after!.chunks.length);
    const retriever = new Retriever(after!);
    const found = await retriever.retrieve('kiốt tự phục vụ tiếp nhận hồ sơ');
    expect(found.results[0]!.doc.title).toMatch(/kiốt tự phục vụ/u);
    expect(found.results[0]!.vectorRank).not.toBeNull();
    expect((await retriever.retrieve('đăng ký thường trú cần giấy tờ gì')).results[0]!.doc.id).toBe(oldTop);
    // A full rebuild retrains everything and gives the same documents.
    const full = await reindex(store, lsa, { paths: [corpus], rebuild: true });
    expect(full.extended).toBe(false);
    expect(full.documents).toBe(second.documents);
  });

  it('a changed file cannot be appended, so the snapshot is rebuilt', async () => {
    await reindex(store, setting, { paths: [corpus] });
    await writeFile(path.join(corpus, 'luat-cu-tru-2020.md'), 'LUẬT\nĐiều 1. Nội dung đã sửa đổi.\n');
    const second = await reindex(store, setting, { paths: [corpus] });
    expect(second.updated).toHaveLength(1);
    expect(second.extended).toBe(false);
  });

  it('a snapshot published by another process is loaded once, however many ask to follow it at the same time', async () => {
    await reindex(store, setting, { paths: [corpus] });
    const live = new LiveIndex();
    const served: Retriever[] = [];
    const swap = live.swap.bind(live);
    live.swap = (next) => {
      served.push(next);
      swap(next);
    };
    const jobs = new ReindexJobs({
      store,
      library: new DocumentLibrary(path.join(work, 'data')),
      live,
      setting,
      corpusDir: corpus,
      inProcess: true,
    });
    const id = await store.currentId();
    expect(await Promise.all([jobs.follow(), jobs.follow(), jobs.follow()])).toEqual([id, id, id]);
    expect(served).toHaveLength(1);
    expect(await jobs.follow()).toBeNull();
  });

  it('a re-index asked while another process writes the index (npm run ingest, another worker) is refused with 409 and changes nothing', async () => {
    const first = (await reindex(store, setting, { paths: [corpus] })).snapshotId;
    const jobs = new ReindexJobs({
      store,
      library: new DocumentLibrary(path.join(work, 'data')),
      live: new LiveIndex(),
      setting,
      corpusDir: corpus,
      inProcess: true,
    });
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await writeFile(
        path.join(store.dataDir, 'reindex.lock'),
        JSON.stringify({ pid: other.pid, holder: 'npm run ingest', since: 'now' }),
      );
      expect(() => jobs.start({ full: true, actor: 'test' })).toThrow(
        expect.objectContaining({ code: 'conflict', status: 409, source: undefined }),
      );
      await expect(jobs.activate(first!)).rejects.toMatchObject({ code: 'conflict' });
      expect(jobs.active()).toBeNull();
      expect(await store.currentId()).toBe(first);
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    // Once it is gone the same request runs, and holds the lock only while it runs.
    const job = await jobs.wait(jobs.start({ full: true, actor: 'test' }).id);
    expect(job.state).toBe('succeeded');
    expect(store.lockHolder()).toBeNull();
  });

  it("a server starting while another process writes a snapshot leaves that process's unfinished folder alone", async () => {
    await reindex(store, setting, { paths: [corpus] });
    const writing = path.join(store.root, '.tmp-being-written');
    await mkdir(writing);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const lines: string[] = [];
    try {
      await writeFile(
        path.join(store.dataDir, 'reindex.lock'),
        JSON.stringify({ pid: other.pid, holder: 're-index job x', since: 'now' }),
      );
      const retriever = await openIndex(
        { dataDir: store.dataDir, corpusDir: corpus, snapshotsKeep: 5, embedder: setting },
        (line) => lines.push(line),
        store,
      );
      expect(retriever.snapshot.manifest.id).toBe(await store.currentId());
      expect(existsSync(writing)).toBe(true);
      expect(lines.join('\n')).toMatch(/another process is writing the index \(re-index job x/u);
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    // Started alone, the folder is a leftover of an interrupted build and goes.
    await openIndex(
      { dataDir: store.dataDir, corpusDir: corpus, snapshotsKeep: 5, embedder: setting },
      () => {},
      store,
    );
    expect(existsSync(writing)).toBe(false);
  });
});
