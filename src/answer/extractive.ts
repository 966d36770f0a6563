import type { IndexSnapshot } from '../index/snapshot.js';
import { FIELD_LABELS } from '../ingest/procedure/field-text.js';
import type { Chunk, DocumentMeta, ProcedureField } from '../ingest/types.js';
import { firstChunkOf, type RetrievedDocument } from '../retrieve/retriever.js';
import { fold, normalize } from '../text/index.js';
import type { Citation, Suggestion } from './types.js';

/** Longest quoted passage, in characters; longer fields are cut at a line and point to the source. */
export const QUOTE_CHARS = 1500;

/**
 * Characters of the record quoted for the fields asked, together: a papers list is quoted in full
 * up to this (nine in ten of the national records' lists are shorter), and an answer with its
 * sources still fits in Zalo's four messages of 2,000 characters. Each asked field gets at least
 * QUOTE_CHARS.
 */
export const ANSWER_QUOTE_CHARS = 4000;

/** An extractive answer before the conversation wraps it. */
export interface Composed {
  answer: string;
  citations: Citation[];
  field?: ProcedureField;
  alternatives: Suggestion[];
  followUps: string[];
  /**
   * True when fields were asked and the record holds none of them, 'detail' when the question
   * asks what no field of a record holds (a fine, a validity period): the answer says so and
   * quotes the record's general information.
   */
  unrecorded?: boolean | 'detail';
}

/** All passages of one document, in document order. */
export function documentChunks(snapshot: IndexSnapshot, docId: string): Chunk[] {
  const doc = snapshot.docIndex.get(docId);
  if (doc === undefined) return [];
  const out: Chunk[] = [];
  for (
    let i = firstChunkOf(snapshot.chunkDoc, doc);
    i < snapshot.chunks.length && snapshot.chunkDoc[i] === doc;
    i++
  ) {
    out.push(snapshot.chunks[i]!);
  }
  return out;
}

/** Citation of one passage, numbered n. */
export function citationOf(n: number, chunk: Chunk, doc: DocumentMeta): Citation {
  return {
    n,
    label: chunk.citation,
    sourceId: doc.id,
    chunkId: chunk.id,
    ...(doc.url ? { url: doc.url } : {}),
    ...(chunk.field ? { field: chunk.field } : {}),
    ...(chunk.page !== undefined ? { page: chunk.page } : {}),
    ...(chunk.scanned ? { scanned: true } : {}),
  };
}

/** Where in the file a citation's passage is: "trang 3", or "bản quét, trang 3" for text read by OCR; "" without a page. */
export function pageNote(c: Pick<Citation, 'page' | 'scanned'>): string {
  if (c.page === undefined) return '';
  return c.scanned ? `bản quét, trang ${c.page}` : `trang ${c.page}`;
}

/** A passage's text without its "Label:" first line, cut to QUOTE_CHARS at a line boundary. */
export function quote(chunk: Chunk, limit = QUOTE_CHARS): string {
  return fieldQuote([chunk], limit);
}

/** A field's passages as one text: a paragraph cut between two passages is joined again. */
function fieldText(chunks: readonly Chunk[]): string {
  let text = '';
  for (const chunk of chunks) {
    const body = (chunk.field ? chunk.text.replace(/^[^\n]*:\n/u, '') : chunk.text).trim();
    // A passage that starts in lower case goes on with the previous passage's last sentence.
    const joint = text === '' ? '' : /^\p{Ll}/u.test(body) && !/[.:;!?]$/u.test(text) ? ' ' : '\n';
    text += joint + body;
  }
  return text;
}

/**
 * A field of a record as quoted: all its passages in order (a long field is indexed as several),
 * cut at a line within `limit` characters (at a word when no line ends in its second half); "…"
 * then points to the source.
 */
export function fieldQuote(chunks: readonly Chunk[], limit: number): string {
  const text = fieldText(chunks);
  return text.length <= limit ? text : `${cutAt(text, limit)}\n…`;
}

/** The start of a text longer than `limit`, cut at its last line break within it (at a word when none is in its second half). */
export function cutAt(text: string, limit: number): string {
  const line = text.lastIndexOf('\n', limit);
  const space = text.lastIndexOf(' ', limit);
  return text.slice(0, line > limit / 2 ? line : space > limit / 2 ? space : limit).trim();
}

/** A quoted field and its source marker; a field cut short says where to read the rest. */
function sourced(quoted: string, n: number, cut = quoted.endsWith('\n…')): string {
  return cut ? `${quoted}\n(Nội dung còn tiếp, xem đầy đủ tại nguồn [${n}].)` : `${quoted} [${n}]`;
}

/** Fields read from one field of the record as published (not from the channels table). */
const RECORD_FIELDS: ReadonlySet<ProcedureField> = new Set([
  'ho_so',
  'trinh_tu',
  'dieu_kien',
  'can_cu',
  'ket_qua',
  'co_quan',
]);

/** Questions offered after an answer about a procedure, one per field the record has. */
const FIELD_FOLLOW_UPS: [ProcedureField, string][] = [
  ['ho_so', 'Cần chuẩn bị những giấy tờ gì?'],
  ['phi', 'Lệ phí là bao nhiêu?'],
  ['thoi_han', 'Bao lâu thì có kết quả?'],
  ['co_quan', 'Nộp hồ sơ ở đâu?'],
  ['cach_thuc', 'Có nộp trực tuyến được không?'],
  ['trinh_tu', 'Các bước thực hiện thế nào?'],
  ['can_cu', 'Căn cứ pháp lý là văn bản nào?'],
];

function procedureFollowUps(chunks: Chunk[], answered: ProcedureField): string[] {
  const has = new Set(chunks.map((c) => c.field));
  return FIELD_FOLLOW_UPS.filter(([f]) => f !== answered && has.has(f))
    .map(([, q]) => q)
    .slice(0, 3);
}

/** The record's answer to "nộp online được không?": whether an online channel is listed. */
function onlineVerdict(doc: DocumentMeta): string {
  const channels = doc.procedure?.channels.map((r) => fold(normalize(r.channel))) ?? [];
  if (channels.length === 0) return '';
  return channels.some((c) => c.includes('truc tuyen'))
    ? 'Có, thủ tục này có hình thức nộp trực tuyến.\n'
    : 'Theo Cổng dịch vụ công, thủ tục này không có hình thức nộp trực tuyến.\n';
}

/** Lines of the channel descriptions that speak of fees or exemptions, quoted with the fee table. */
function feeNotes(doc: DocumentMeta): string[] {
  const rows = doc.procedure?.channels ?? [];
  const notes = new Set<string>();
  for (const r of rows) {
    for (const line of r.description.split(/\n+/u)) {
      if (/(miễn|lệ phí|phí|không thu)/iu.test(line)) notes.add(line.trim());
    }
  }
  return [...notes].slice(0, 3);
}

/**
 * Answers a procedure question from the asked fields of the record (general information when
 * none). `companions` names, per field, another field quoted after it when the record has it:
 * records often state the processing time or the office in the steps rather than in the field
 * itself (fitted by `npm run train`).
 */
export function composeProcedure(
  snapshot: IndexSnapshot,
  doc: DocumentMeta,
  asked: ProcedureField[],
  companions: Partial<Record<ProcedureField, ProcedureField>> = {},
): Composed {
  const chunks = documentChunks(snapshot, doc.id);
  const name = `“${doc.title}” (mã ${doc.id})`;
  const pick = (f: ProcedureField) => chunks.filter((c) => c.field === f);
  const fields = asked.length > 0 ? asked : (['general'] as ProcedureField[]);
  const parts: string[] = [];
  const citations: Citation[] = [];
  // Fees, times and channels are read from the channels table, whose free-text descriptions may
  // state them in other words: only a record field left empty shows that the record lacks the fact.
  let recorded = fields.some((f) => !RECORD_FIELDS.has(f));
  // The fields quoted share ANSWER_QUOTE_CHARS, each at least QUOTE_CHARS.
  let budget = ANSWER_QUOTE_CHARS;
  const within = (found: readonly Chunk[]) => {
    const text = fieldQuote(found, Math.max(QUOTE_CHARS, budget));
    budget -= text.length;
    return text;
  };
  const shown = new Set<ProcedureField>();
  for (const f of fields) {
    let found = pick(f);
    // Records often put who may file under "Đối tượng" rather than "Điều kiện": say that no
    // conditions are listed, then quote who may file.
    if (found.length === 0 && f === 'dieu_kien') {
      found = pick('doi_tuong');
      if (found.length > 0)
        parts.push(`Hồ sơ thủ tục ${name} trên Cổng dịch vụ công không ghi yêu cầu, điều kiện riêng.`);
    }
    if (found.length > 0) recorded = true;
    // The channels table's descriptions often state a fee or a time its cells leave empty.
    if (found.length === 0 && (f === 'phi' || f === 'thoi_han')) {
      parts.push(`Hồ sơ thủ tục ${name} trên Cổng dịch vụ công không ghi ${FIELD_LABELS[f].toLowerCase()}.`);
      found = shown.has('cach_thuc') || fields.includes('cach_thuc') ? [] : pick('cach_thuc');
      if (found.length === 0) continue;
    }
    if (found.length === 0) {
      parts.push(`Hồ sơ thủ tục ${name} trên Cổng dịch vụ công không ghi ${FIELD_LABELS[f].toLowerCase()}.`);
      continue;
    }
    const n = citations.length + 1;
    citations.push(citationOf(n, found[0]!, doc));
    const field = found[0]!.field ?? f;
    shown.add(field);
    const lead = f === 'cach_thuc' ? onlineVerdict(doc) : '';
    const notes = f === 'phi' ? feeNotes(doc).map((l) => `Ghi chú: ${l}`) : [];
    const text = within(found);
    const body = [text, ...notes].join('\n');
    parts.push(
      `${lead}${FIELD_LABELS[field]} của thủ tục ${name}:\n${sourced(body, n, text.endsWith('\n…'))}`,
    );
  }
  const quoted = new Set<ProcedureField>([...fields, ...shown]);
  for (const f of fields) {
    const extra = companions[f];
    const found = extra && !quoted.has(extra) ? pick(extra) : [];
    if (found.length === 0) continue;
    // Records often state the asked fact in the companion ("Cơ quan" named in the steps), not in the general summary.
    if (extra !== 'general') recorded = true;
    quoted.add(extra!);
    const n = citations.length + 1;
    citations.push(citationOf(n, found[0]!, doc));
    parts.push(`${FIELD_LABELS[found[0]!.field ?? extra!]}:\n${sourced(within(found), n)}`);
  }
  if (citations.length === 0) {
    const general = pick('general')[0];
    if (general) citations.push(citationOf(1, general, doc));
  }
  return {
    answer: parts.join('\n\n'),
    citations,
    ...(asked[0] ? { field: asked[0] } : {}),
    alternatives: [],
    followUps: procedureFollowUps(chunks, fields[0]!),
    ...(recorded ? {} : { unrecorded: true }),
  };
}

/**
 * For a question that names a procedure but asks what no field of its record holds: says that
 * the record does not state it and quotes the record's general information.
 */
export function composeUnrecorded(snapshot: IndexSnapshot, doc: DocumentMeta): Composed {
  const general = composeProcedure(snapshot, doc, []);
  return {
    ...general,
    answer: `Hồ sơ thủ tục “${doc.title}” (mã ${doc.id}) trên Cổng dịch vụ công không ghi thông tin bạn hỏi.\n\n${general.answer}`,
    unrecorded: 'detail',
  };
}

/** Answers from a legal document's best passages, quoting the first one or two verbatim. */
export function composeLegal(result: RetrievedDocument): Composed {
  const best = result.chunks
    .slice(0, 2)
    .filter((c, i) => i === 0 || c.score >= 0.6 * result.chunks[0]!.score);
  const citations = best.map((c, i) => citationOf(i + 1, c.chunk, result.doc));
  const parts = best.map((c, i) => `Theo ${c.chunk.citation}:\n“${quote(c.chunk)}” [${i + 1}]`);
  const status = validityNote(result.doc);
  return {
    answer: [...parts, ...(status ? [status] : [])].join('\n\n'),
    citations,
    alternatives: [],
    followUps: [],
  };
}

/** A warning when the answer rests on a document that is not (or no longer) fully in force. */
export function validityNote(doc: DocumentMeta): string {
  switch (doc.status) {
    case 'het_hieu_luc_toan_bo':
      return `Lưu ý: văn bản ${doc.number ?? doc.title} đã hết hiệu lực toàn bộ.`;
    case 'het_hieu_luc_mot_phan':
      return `Lưu ý: văn bản ${doc.number ?? doc.title} đã hết hiệu lực một phần; cần kiểm tra điều khoản còn hiệu lực.`;
    case 'chua_co_hieu_luc':
      return `Lưu ý: văn bản ${doc.number ?? doc.title} chưa có hiệu lực${doc.effectiveDate ? ` (hiệu lực từ ${doc.effectiveDate})` : ''}.`;
    default:
      return '';
  }
}

/** A procedure's name without its level or foreign element, folded; kept per document (names do not change). */
const titleKeys = new WeakMap<DocumentMeta, string>();
function titleKey(doc: DocumentMeta): string {
  let key = titleKeys.get(doc);
  if (key === undefined) {
    key = fold(normalize(doc.title))
      .replace(/\b(co yeu to nuoc ngoai|cap (tinh|huyen|xa|trung uong))\b/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    titleKeys.set(doc, key);
  }
  return key;
}

/**
 * Procedures the user may also have meant: the same or nearly the same name (another level, with a
 * foreign element) scored close to the first result.
 */
export function similarProcedures(results: RetrievedDocument[], ratio = 0.8): Suggestion[] {
  const top = results[0];
  if (!top || top.doc.kind !== 'procedure') return [];
  const key = titleKey(top.doc);
  return results
    .slice(1, 6)
    .filter((r) => r.doc.kind === 'procedure' && r.score >= ratio * top.score)
    .filter((r) => {
      const k = titleKey(r.doc);
      return k === key || k.includes(key) || key.includes(k);
    })
    .map((r) => suggestionOf(r.doc));
}

/** A document offered as a choice, with its level when the record has one. */
export function suggestionOf(doc: DocumentMeta): Suggestion {
  const levels = doc.procedure?.levels.join(', ');
  return {
    sourceId: doc.id,
    title: levels ? `${doc.title} (${levels})` : doc.title,
    ...(doc.url ? { url: doc.url } : {}),
  };
}
