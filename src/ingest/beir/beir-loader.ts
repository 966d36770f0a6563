import { nfc } from '../../text/index.js';
import { chunkHash, sha256Hex } from '../hash.js';
import { decodeUtf8 } from '../file-text.js';
import { field, firstJsonObjectOfBytes, parseJsonLines } from '../jsonl.js';
import { joinLines, splitArticleBody } from '../legal/clauses.js';
import { chunkLongText } from '../legal/long-text.js';
import { splitLines } from '../legal/patterns.js';
import type { Chunk, IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';
import { AppError } from '../../errors.js';

/** Articles longer than this (characters) are split by Khoản. */
export const ARTICLE_CHUNK_LIMIT = 1200;

/** True when a parsed JSON object looks like a BEIR corpus entry (`_id` and `text`). */
export function isBeirRecord(obj: Record<string, unknown>): boolean {
  return '_id' in obj && 'text' in obj;
}

interface Piece {
  path: string;
  text: string;
  clause?: string;
}

/** Splits an article body into Khoản pieces (intro joined to the first), or paragraphs when it has none. */
function splitArticle(text: string): Piece[] {
  const body = splitArticleBody(splitLines(text));
  if (body.clauses.length < 2) {
    return chunkLongText(text, ARTICLE_CHUNK_LIMIT).map((p, i) => ({ path: `p${i + 1}`, text: p.text }));
  }
  const intro = joinLines(body.intro);
  return body.clauses.flatMap((c, i) => {
    const own = joinLines([...c.lead, ...c.points.flatMap((p) => p.lines)]);
    const text = i === 0 && intro !== '' ? `${intro}\n${own}` : own;
    if (text.length <= ARTICLE_CHUNK_LIMIT * 2) return [{ path: `k${c.number}`, clause: c.number, text }];
    // A Khoản still too long for one passage is cut by paragraphs; each piece keeps the Khoản citation.
    return chunkLongText(text, ARTICLE_CHUNK_LIMIT).map((p, j) => ({
      path: `k${c.number}.p${j + 1}`,
      clause: c.number,
      text: p.text,
    }));
  });
}

/** One BEIR entry → a kind 'article' document; long articles are chunked by Khoản. */
export function beirDocument(
  rec: Record<string, unknown>,
  source: string,
  options: IngestOptions = {},
): IngestedDocument {
  const id = field(rec, '_id');
  const law = nfc(field(rec, 'law_id'));
  const article = field(rec, 'article_id');
  const articleTitle = nfc(field(rec, 'title'));
  const text = nfc(typeof rec['text'] === 'string' ? rec['text'] : '').trim();
  const hasPlace = law !== '' && article !== '';
  const title = hasPlace ? `${law} · Điều ${article}. ${articleTitle}`.trim() : articleTitle || id;
  const heading = title;
  const cite = (clause?: string): string =>
    hasPlace ? `${clause !== undefined ? `Khoản ${clause} ` : ''}Điều ${article} ${law}` : articleTitle || id;
  const pieces: Piece[] = text.length <= ARTICLE_CHUNK_LIMIT ? [{ path: '', text }] : splitArticle(text);
  const base = hasPlace ? [law, `Điều ${article}. ${articleTitle}`.trim()] : [title];
  const chunks: Chunk[] = pieces.map((p, i) => ({
    id: `${id}#${[hasPlace ? `d${article}` : 'doc', p.path].filter(Boolean).join('.')}`,
    docId: id,
    ordinal: i,
    text: p.text,
    heading,
    breadcrumb: p.clause !== undefined ? [...base, `Khoản ${p.clause}`] : base,
    citation: cite(p.clause),
    contentHash: chunkHash(heading, p.text),
    ...(hasPlace ? { article } : {}),
    ...(p.clause !== undefined ? { clause: p.clause } : {}),
  }));
  return {
    meta: {
      id,
      kind: 'article',
      title,
      ...(law !== ''
        ? { docType: /^Bộ luật/u.test(law) ? 'Bộ luật' : /^Luật/u.test(law) ? 'Luật' : undefined }
        : {}),
      status: options.status ?? 'con_hieu_luc',
      audience: options.audience ?? 'public',
      source,
      contentHash: sha256Hex(text),
    },
    chunks,
  };
}

/** Loads a BEIR `corpus.jsonl` (`_id`, `text`, optional `title`, `law_id`, `article_id`). All-or-nothing. */
export function loadBeir(path: string, text: string, options: IngestOptions = {}): IngestedDocument[] {
  const seen = new Map<string, IngestedDocument>();
  for (const { line, value } of parseJsonLines(path, text)) {
    const id = field(value, '_id');
    if (id === '' || typeof value['text'] !== 'string') {
      throw new AppError(
        'record_invalid',
        `${path}: line ${line} has no ${id === '' ? '_id' : 'text'}; nothing from this file was indexed`,
        {
          source: `${path}:${line}`,
          reason: `${path}: dòng ${line} thiếu trường ${id === '' ? '_id' : 'text'}; chưa có nội dung nào của tệp được đưa vào.`,
        },
      );
    }
    const prior = seen.get(id);
    if (prior !== undefined) {
      (prior.warnings ??= []).push(`line ${line} repeats _id ${id}; kept the first`);
      continue;
    }
    seen.set(id, beirDocument(value, path, options));
  }
  return [...seen.values()];
}

/** Loader for BEIR-style corpus JSON Lines. */
export const beirJsonlLoader: Loader = {
  id: 'beir-jsonl',
  sniff(file: SourceFile): boolean {
    const obj = firstJsonObjectOfBytes(file.bytes);
    return obj !== null && isBeirRecord(obj);
  },
  async load(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
    return loadBeir(file.path, decodeUtf8(file.path, file.bytes), options);
  },
};
