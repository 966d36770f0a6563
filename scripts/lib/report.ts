import type { ReindexReport } from '../../src/admin/reindex.js';

/** Prints a re-index summary accounting for every file (added, updated, unchanged, failed, skipped, with reasons and warnings), then the snapshot; returns the exit code. */
export function printReindexReport(r: ReindexReport): number {
  console.log(
    `\nthêm mới ${r.added.length} · cập nhật ${r.updated.length} · không đổi ${r.unchanged.length} · lỗi ${r.failed.length} · bỏ qua ${r.skipped.length}`,
  );
  for (const f of r.added) console.log(`  + ${f}`);
  for (const f of r.updated) console.log(`  ~ ${f}`);
  for (const f of r.failed) console.log(`  ✗ ${f.reason} [${f.code}]`);
  for (const f of r.skipped) console.log(`  – ${f.path}: ${f.reason}`);
  for (const w of r.warnings) console.log(`  ! ${w.message}`);
  console.log(
    r.snapshotId
      ? `snapshot ${r.snapshotId}${r.extended ? ' (extended)' : ''}: ${r.documents} documents, ${r.chunks} passages, ${(r.buildMs / 1000).toFixed(1)} s`
      : `no change: the current snapshot (${r.documents} documents) stays active`,
  );
  return r.failed.length > 0 ? 1 : 0;
}
