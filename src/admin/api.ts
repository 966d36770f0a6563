import busboy from 'busboy';
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AssistantStore } from '../answer/store.js';
import { AppError, describeError, errorBody } from '../errors.js';
import type { SnapshotStore } from '../index/snapshot-store.js';
import type { IndexSnapshot } from '../index/snapshot.js';
import { parseBody } from '../lib/parse-body.js';
import {
  actorOf,
  allow,
  authenticate,
  describeOfficer,
  loginRouter,
  officerOf,
  type AuthDeps,
} from './auth/http.js';
import type { OidcClient } from './auth/oidc.js';
import type { AdminSessions } from './auth/sessions.js';
import { exportRouter } from './export.js';
import type { Job, LiveIndex, ReindexJobs } from './jobs.js';
import {
  sizeLabel,
  metaPatchSchema,
  type DocumentLibrary,
  type MetaPatch,
  type UploadResult,
} from './library.js';

export { tokenMatches } from './auth/http.js';

export interface AdminDeps {
  /** ADMIN_TOKEN: bearer token for automation, acting as administrator; unset, only officer accounts sign in. */
  token?: string;
  /** Officer accounts and their sessions (issue 16). */
  sessions?: AdminSessions;
  /** Single sign-on through OpenID Connect, when configured. */
  oidc?: OidcClient;
  /** Public address of the server (PUBLIC_BASE_URL), for the OpenID redirect URI. */
  publicBaseUrl?: string;
  library: DocumentLibrary;
  jobs: ReindexJobs;
  live: LiveIndex;
  snapshots: SnapshotStore;
  store: AssistantStore;
  logger: Logger;
  /** Largest accepted upload, bytes (default 50 MB). */
  maxUploadBytes?: number;
}

const MAX_FILES = 20;

const reindexBody = z.object({ full: z.boolean().optional() }).strict();

/** `/admin/api/…`: documents, uploads, re-index jobs, snapshots, feedback and the gap report (DESIGN §3). */

/** 409 while a re-index runs: the Vietnamese message and the running job's id. */
function sendJobConflict(res: Response, err: AppError): void {
  res.status(409).json({
    ...errorBody(err),
    message: 'Đang có một lần lập chỉ mục khác chạy; vui lòng chờ xong rồi thử lại.',
    jobId: err.source,
  });
}

export function adminRouter(deps: AdminDeps): Router {
  const maxBytes = deps.maxUploadBytes ?? 50 * 1024 * 1024;
  const router = Router();
  const chunkCounts = new WeakMap<IndexSnapshot, Uint32Array>();

  const audit = async (
    req: Request,
    action: string,
    target: string | undefined,
    result: 'ok' | 'error',
    detail?: unknown,
    actor?: string,
  ) => {
    try {
      await deps.store.addAudit({
        actor: actor ?? actorOf(officerOf(req.res!)),
        action,
        ...(target ? { target } : {}),
        result,
        ...(detail !== undefined
          ? { detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }
          : {}),
      });
    } catch (err) {
      deps.logger.error({ err, action }, 'audit log write failed');
    }
  };
  const auth: AuthDeps = {
    ...(deps.token ? { token: deps.token } : {}),
    ...(deps.sessions ? { sessions: deps.sessions } : {}),
    ...(deps.oidc ? { oidc: deps.oidc } : {}),
    ...(deps.publicBaseUrl ? { publicBaseUrl: deps.publicBaseUrl } : {}),
    audit: (actor, action, result, detail) =>
      deps.store
        .addAudit({ actor, action, result, ...(detail ? { detail } : {}) })
        .catch((err: unknown) => deps.logger.error({ err, action }, 'audit log write failed')),
  };
  router.use(loginRouter(auth));
  router.use('/admin/api', authenticate(auth));
  router.use('/admin/api', express.json({ limit: '64kb' }));
  router.get('/admin/api/me', (_req, res) => {
    res.json(describeOfficer(officerOf(res)));
  });
  // A getter: tests (and a later store swap) replace deps.store after the router is built.
  router.use(
    exportRouter({
      get store() {
        return deps.store;
      },
      audit: (req, action, target, detail) => audit(req, action, target, 'ok', detail),
    }),
  );

  const snapshot = () => {
    const r = deps.live.current();
    if (!r) throw new AppError('snapshot_missing', 'the index is not loaded yet');
    return r.snapshot;
  };

  router.post('/admin/api/documents', allow('documents:write'), async (req, res) => {
    const { files, fields } = await readMultipart(req, maxBytes);
    if (files.length === 0)
      throw new AppError('bad_request', 'no file: send one or more files in the multipart field "file"');
    const meta = uploadMeta(fields);
    const results: UploadResult[] = [];
    for (const f of files) {
      const r = f.truncated
        ? {
            name: f.name,
            status: 'failed' as const,
            code: 'too_large',
            reason: `tệp lớn hơn giới hạn ${sizeLabel(maxBytes)}`,
          }
        : await deps.library.add(f.name, f.bytes, meta, maxBytes);
      results.push(r);
      await audit(req, 'upload', f.name, r.status === 'failed' ? 'error' : 'ok', r.reason ?? r.status);
    }
    let job: Job | undefined;
    let conflict: { jobId: string | undefined; message: string } | undefined;
    const stored = results.some((r) => r.status === 'stored' || r.status === 'replaced');
    if (stored && (req.query.reindex === '1' || req.query.reindex === 'true')) {
      try {
        job = startJob(req, false);
      } catch (err) {
        // The files are kept either way; the caller re-indexes after the running job.
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
        conflict = { jobId: err.source, message: err.message };
      }
    }
    const status = stored ? 201 : results.some((r) => r.status === 'failed') ? 422 : 200;
    res.status(status).json({
      results,
      ...(job ? { job } : {}),
      ...(conflict ? { reindexConflict: conflict } : {}),
      message: stored
        ? job
          ? 'Đã lưu tệp và bắt đầu lập chỉ mục lại.'
          : conflict
            ? 'Đã lưu tệp. Đang có một lần lập chỉ mục khác chạy; hãy lập chỉ mục lại khi lần đó xong.'
            : 'Đã lưu tệp. Hãy lập chỉ mục lại để đưa vào tra cứu.'
        : 'Không có tệp nào được lưu.',
    });
  });

  router.get('/admin/api/documents', allow('documents:read'), async (req, res) => {
    const snap = snapshot();
    const state = await deps.library.state();
    let counts = chunkCounts.get(snap);
    if (!counts) {
      counts = new Uint32Array(snap.documents.length);
      for (const d of snap.chunkDoc) counts[d]!++;
      chunkCounts.set(snap, counts);
    }
    const sourceOf = new Map<string, string>();
    for (const s of snap.manifest.sources) for (const id of s.documentIds) sourceOf.set(id, s.path);
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const documents = snap.documents
      .map((d, i) => ({
        id: d.id,
        title: d.title,
        kind: d.kind,
        number: d.number ?? null,
        docType: d.docType ?? null,
        issuer: d.issuer ?? null,
        annexOf: d.annexOf ?? null,
        unnumbered: d.unnumbered ?? false,
        scannedPages: d.scannedPages ?? [],
        lowConfidencePages: d.lowConfidencePages ?? [],
        status: d.status,
        audience: d.audience,
        effectiveDate: d.effectiveDate ?? null,
        expiryDate: d.expiryDate ?? null,
        replaces: d.replaces ?? [],
        source: sourceOf.get(d.id) ?? d.source,
        uploaded: deps.library.uploadName(sourceOf.get(d.id) ?? d.source) !== null,
        chunks: counts[i]!,
        snapshot: snap.manifest.id,
        pendingEdit: state.documents[d.id] ?? null,
      }))
      .filter(
        (d) =>
          (!q('kind') || d.kind === q('kind')) &&
          (!q('status') || d.status === q('status')) &&
          (!q('audience') || d.audience === q('audience')),
      );
    res.json({ snapshot: snap.manifest.id, total: documents.length, documents });
  });

  router.patch('/admin/api/documents/:id', allow('documents:write'), async (req, res) => {
    const id = String(req.params.id);
    const patch = parseBody(metaPatchSchema, req.body) as MetaPatch;
    if (Object.keys(patch).length === 0)
      throw new AppError(
        'bad_request',
        'nothing to change: send audience, status, effectiveDate, expiryDate or replaces',
      );
    if (!snapshot().docIndex.has(id)) throw new AppError('not_found', `document ${id} is not in the index`);
    await deps.library.edit(id, patch);
    await audit(req, 'edit', id, 'ok', patch);
    res.json({ id, patch, message: 'Đã lưu thay đổi; thay đổi có hiệu lực sau khi lập chỉ mục lại.' });
  });

  router.delete('/admin/api/documents/:id', allow('documents:write'), async (req, res) => {
    const id = String(req.params.id);
    const snap = snapshot();
    if (!snap.docIndex.has(id)) throw new AppError('not_found', `document ${id} is not in the index`);
    const source = snap.manifest.sources.find((s) => s.documentIds.includes(id));
    const result = await deps.library.remove(id, source?.path, source?.documentIds.length ?? 0);
    await audit(req, 'delete', id, 'ok', result);
    res.json({ id, result, message: 'Đã xóa; văn bản không còn được trích dẫn sau khi lập chỉ mục lại.' });
  });

  const startJob = (req: Request, full: boolean): Job => {
    try {
      const job = deps.jobs.start({ full, actor: actorOf(officerOf(req.res!)) });
      void deps.jobs
        .wait(job.id)
        .then((j) =>
          audit(
            req,
            full ? 'reindex_full' : 'reindex',
            j.id,
            j.state === 'succeeded' ? 'ok' : 'error',
            j.error ?? j.report,
          ),
        );
      return job;
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict')
        void audit(req, 'reindex', err.source, 'error', 'already running');
      throw err;
    }
  };

  router.post('/admin/api/reindex', allow('documents:write'), (req, res) => {
    const body = parseBody(reindexBody, req.body ?? {});
    try {
      const job = startJob(req, body.full === true);
      res.status(202).json({ job });
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        sendJobConflict(res, err);
        return;
      }
      throw err;
    }
  });

  router.get('/admin/api/reindex/:id', allow('documents:read'), (req, res) => {
    const job = deps.jobs.get(String(req.params.id));
    if (!job) throw new AppError('not_found', `no re-index job ${String(req.params.id)}`);
    res.json({ job });
  });

  /** Server-Sent Events: `progress` with the job after each step, then `end`. */
  router.get('/admin/api/reindex/:id/events', allow('documents:read'), (req, res) => {
    const job = deps.jobs.get(String(req.params.id));
    if (!job) throw new AppError('not_found', `no re-index job ${String(req.params.id)}`);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const send = (j: Job) =>
      res.write(`event: ${j.state === 'running' ? 'progress' : 'end'}\ndata: ${JSON.stringify(j)}\n\n`);
    send(job);
    if (job.state !== 'running') return void res.end();
    let last = 0;
    const on = (j: Job) => {
      if (j.id !== job.id) return;
      const now = Date.now();
      if (j.state === 'running' && now - last < 100) return; // at most ten updates a second
      last = now;
      send(j);
      if (j.state !== 'running') {
        deps.jobs.events.off('job', on);
        res.end();
      }
    };
    deps.jobs.events.on('job', on);
    req.on('close', () => deps.jobs.events.off('job', on));
  });

  router.get('/admin/api/snapshots', allow('documents:read'), async (_req, res) => {
    res.json({
      snapshots: await deps.snapshots.list(),
      serving: deps.live.current()?.snapshot.manifest.id ?? null,
    });
  });

  router.post('/admin/api/snapshots/:id/activate', allow('snapshots:activate'), async (req, res) => {
    const id = String(req.params.id);
    if (!/^[\w.-]{1,100}$/u.test(id))
      throw new AppError('bad_request', 'snapshot id has unexpected characters');
    try {
      await deps.jobs.activate(id);
    } catch (err) {
      await audit(req, 'activate_snapshot', id, 'error', describeError(err));
      if (err instanceof AppError && err.code === 'conflict') {
        sendJobConflict(res, err);
        return;
      }
      throw err;
    }
    await audit(req, 'activate_snapshot', id, 'ok');
    res.json({ serving: id, message: `Đang phục vụ bản chỉ mục ${id}.` });
  });

  const page = (req: Request) => ({
    limit: Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100)),
    offset: Math.max(0, Number(req.query.offset ?? 0) || 0),
  });
  router.get('/admin/api/feedback', allow('reports:read'), async (req, res) => {
    const rating = req.query.rating === 'up' || req.query.rating === 'down' ? req.query.rating : undefined;
    res.json({ feedback: await deps.store.listFeedback({ ...page(req), ...(rating ? { rating } : {}) }) });
  });
  router.get('/admin/api/gaps', allow('reports:read'), async (req, res) => {
    const since = typeof req.query.since === 'string' ? req.query.since : undefined;
    res.json({ gaps: await deps.store.gapReport({ limit: page(req).limit, ...(since ? { since } : {}) }) });
  });
  router.get('/admin/api/audit', allow('reports:read'), async (req, res) => {
    res.json({ audit: await deps.store.listAudit(page(req)) });
  });
  return router;
}

/** Upload metadata from multipart fields; a bad value is a 400 naming the field. */
function uploadMeta(fields: Map<string, string[]>): MetaPatch {
  const one = (k: string) => fields.get(k)?.at(-1)?.trim() || undefined;
  const replaces = (fields.get('replaces') ?? [])
    .flatMap((v) => v.split(/[,;\n]/u))
    .map((s) => s.trim())
    .filter(Boolean);
  const raw = {
    ...(one('audience') ? { audience: one('audience') } : {}),
    ...(one('status') ? { status: one('status') } : {}),
    ...(one('effectiveDate') ? { effectiveDate: one('effectiveDate') } : {}),
    ...(one('expiryDate') ? { expiryDate: one('expiryDate') } : {}),
    ...(replaces.length ? { replaces } : {}),
  };
  return parseBody(metaPatchSchema, raw) as MetaPatch;
}

interface UploadedFile {
  name: string;
  bytes: Buffer;
  truncated: boolean;
}

/** Reads a multipart body: files of field `file` (at most MAX_FILES, each cut at maxBytes + 1) and text fields. */
function readMultipart(
  req: Request,
  maxBytes: number,
): Promise<{ files: UploadedFile[]; fields: Map<string, string[]> }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    return Promise.reject(
      new AppError('unsupported_format', 'send the files as multipart/form-data in the field "file"'),
    );
  }
  return new Promise((resolve, reject) => {
    const files: UploadedFile[] = [];
    const fields = new Map<string, string[]>();
    let tooMany = false;
    let bb: busboy.Busboy;
    try {
      // preservePath: a name such as "../../x" must reach the name check rather than be shortened silently.
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        preservePath: true,
        limits: { files: MAX_FILES, fileSize: maxBytes + 1, fields: 50, fieldSize: 10_000 },
      });
    } catch (err) {
      reject(new AppError('bad_request', `unreadable multipart body: ${describeError(err)}`));
      return;
    }
    bb.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let truncated = false;
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        truncated = true;
      });
      stream.on('close', () =>
        files.push({
          name: info.filename ?? '',
          bytes: truncated ? Buffer.alloc(0) : Buffer.concat(chunks),
          truncated,
        }),
      );
    });
    bb.on('field', (name, value) => fields.set(name, [...(fields.get(name) ?? []), value]));
    bb.on('filesLimit', () => {
      tooMany = true;
    });
    bb.on('error', (err) =>
      reject(new AppError('bad_request', `unreadable multipart body: ${describeError(err)}`)),
    );
    bb.on('close', () => {
      if (tooMany) reject(new AppError('bad_request', `at most ${MAX_FILES} files per upload`));
      else resolve({ files, fields });
    });
    req.pipe(bb);
  });
}
