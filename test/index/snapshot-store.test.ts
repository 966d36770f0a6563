import { once } from 'node:events';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { sampleDocs } from '../helpers/docs.js';

const hashed = { kind: 'hashed', dimension: 64 } as const;

async function build(docs = sampleDocs()) {
  return IndexSnapshot.build(
    {
      sources: [{ path: 'x', fileHash: 'h', documentIds: docs.map((d) => d.meta.id) }],
      documents: docs,
      parent: null,
    },
    hashed,
  );
}

async function tempStore(keep = 5) {
  return new SnapshotStore(await mkdtemp(path.join(tmpdir(), 'snap-')), keep);
}

describe('snapshot store', () => {
  it('publishes a snapshot that loads back with the same documents and answers', async () => {
    const store = await tempStore();
    const snap = await build();
    const id = await store.publish(snap);
    expect(await store.currentId()).toBe(id);
    const loaded = await store.loadCurrent(hashed);
    expect(loaded!.manifest.counts).toEqual(snap.manifest.counts);
    const { results } = await new Retriever(loaded!).retrieve('đăng ký kết hôn');
    expect(results[0]!.doc.id).toBe('ket-hon');
  });

  it('keeps serving the previous snapshot when a publish was interrupted before the pointer swap', async () => {
    const store = await tempStore();
    const first = await store.publish(await build());
    // A crash while writing: a half-written folder aside and a half-written pointer file.
    const half = await build();
    const tmp = path.join(store.root, `.tmp-${half.manifest.id}`);
    await half.writeTo(tmp);
    await rm(path.join(tmp, 'manifest.json'));
    await writeFile(path.join(store.dataDir, 'CURRENT.tmp'), 'garb');
    // A crash after the folder rename but before the pointer swap.
    const renamed = await build();
    await renamed.writeTo(store.dirOf(renamed.manifest.id));
    expect(await store.currentId()).toBe(first);
    const loaded = await store.loadCurrent(hashed);
    expect(loaded!.manifest.id).toBe(first);
    expect(await store.removeLeftovers()).toBe(1);
    expect((await readdir(store.root)).some((n) => n.startsWith('.tmp-'))).toBe(false);
  });

  it('rolls back to an earlier snapshot and keeps only the configured number', async () => {
    const store = await tempStore(2);
    const a = await store.publish(await build());
    const b = await store.publish(await build(sampleDocs().slice(0, 3)));
    expect((await store.loadCurrent(hashed))!.documents).toHaveLength(3);
    await store.activate(a);
    expect((await store.loadCurrent(hashed))!.documents).toHaveLength(6);
    const c = await store.publish(await build());
    const ids = (await store.list()).map((s) => s.id);
    expect(ids).toEqual([c, b]);
    await expect(store.activate(a)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses to load an index built with another embedder, saying how to fix it', async () => {
    const store = await tempStore();
    await store.publish(await build());
    await expect(store.loadCurrent({ kind: 'hashed', dimension: 128 })).rejects.toMatchObject({
      code: 'embedder_mismatch',
    });
    await expect(store.loadCurrent({ kind: 'lsa' })).rejects.toMatchObject({ code: 'embedder_mismatch' });
  });

  it('reports a damaged snapshot file as snapshot_invalid', async () => {
    const store = await tempStore();
    const id = await store.publish(await build());
    await writeFile(path.join(store.dirOf(id), 'chunks.jsonl'), '{"id":');
    await expect(store.loadCurrent(hashed)).rejects.toMatchObject({ code: 'snapshot_invalid' });
  });

  it('refuses to serve a format 1 snapshot but still reads its documents for a rebuild', async () => {
    const store = await tempStore();
    const snap = await build();
    const id = await store.publish(snap);
    const dir = store.dirOf(id);
    // The format 1 layout: whole-array JSON lists.
    await writeFile(path.join(dir, 'documents.json'), JSON.stringify(snap.documents));
    await writeFile(path.join(dir, 'chunks.json'), JSON.stringify(snap.chunks));
    await rm(path.join(dir, 'documents.jsonl'));
    await rm(path.join(dir, 'chunks.jsonl'));
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...snap.manifest, format: 1 }));
    await expect(store.loadCurrent(hashed)).rejects.toMatchObject({
      code: 'snapshot_invalid',
      message: expect.stringMatching(/format 1 is not 2.*--rebuild/su),
    });
    expect((await store.currentManifest())!.sources).toEqual(snap.manifest.sources);
    const docs = await IndexSnapshot.readDocuments(dir);
    expect([...docs.keys()]).toEqual(snap.documents.map((d) => d.id));
    expect(docs.get('ket-hon')!.chunks).toEqual(snap.chunks.filter((c) => c.docId === 'ket-hon'));
  });

  it('rejects snapshot ids that could escape the snapshots folder', async () => {
    const store = await tempStore();
    expect(() => store.dirOf('../etc')).toThrow(/invalid snapshot id/);
  });

  it('lets one process at a time write the data folder: a second writer is refused with the first one named, then gets it once released', async () => {
    const store = await tempStore();
    const release = store.lock('job A');
    expect(store.lockHolder()).toMatchObject({ pid: process.pid, holder: 'job A' });
    expect(() => store.lock('job B')).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/job A, process \d+/u) }),
    );
    expect(() => new SnapshotStore(store.dataDir).lock('job C')).toThrow(/job A/u);
    release();
    release(); // twice is harmless
    expect(store.lockHolder()).toBeNull();
    const again = store.lock('job B');
    expect(store.lockHolder()?.holder).toBe('job B');
    again();
  });

  it('refuses while another running process holds the lock, and takes over one left by a process that has ended', async () => {
    const store = await tempStore();
    const lockFile = path.join(store.dataDir, 'reindex.lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await writeFile(lockFile, JSON.stringify({ pid: other.pid, holder: 'npm run ingest', since: 'now' }));
      expect(() => store.lock('server job')).toThrow(/npm run ingest, process/u);
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    // A process that ended without releasing (killed, power cut) no longer blocks anyone.
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(lockFile, JSON.stringify({ pid: ended, holder: 'killed job', since: 'then' }));
    const release = store.lock('server job');
    expect(store.lockHolder()).toMatchObject({ pid: process.pid, holder: 'server job' });
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock whose process id was reused after a reboot: by a process started later, or by this very process', async () => {
    const store = await tempStore();
    const lockFile = path.join(store.dataDir, 'reindex.lock');
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await once(other, 'spawn');
      await writeFile(
        lockFile,
        JSON.stringify({ pid: other.pid, holder: 'before the reboot', since: hourAgo }),
      );
      store.lock('after the reboot')();
      // The same process id, taken before this process started: not this process's lock.
      await writeFile(
        lockFile,
        JSON.stringify({ pid: process.pid, holder: 'before the restart', since: hourAgo }),
      );
      const release = store.lock('after the restart');
      expect(store.lockHolder()?.holder).toBe('after the restart');
      release();
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
  });
});
