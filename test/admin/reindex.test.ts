import { cp, mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reindex } from '../../src/admin/reindex.js';
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
  await cp(path.join(root, 'corpus', 'legal', 'luat-cu-tru-2020.md'), path.join(corpus, 'luat-cu-tru-2020.md'));
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
    expect((await readdir(path.join(work, 'data', 'snapshots'))).filter((d) => d.startsWith('.tmp'))).toEqual([]);
  });
});
