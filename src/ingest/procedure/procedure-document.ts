import { chunkHash, sha256Hex } from '../hash.js';
import { searchedText } from '../../text/index.js';
import { field } from '../jsonl.js';
import type { Chunk, IngestedDocument, IngestOptions } from '../types.js';
import { cleanProcedureRecord, tidy } from './clean-record.js';
import { FIELD_LABELS, FIELD_ORDER, fieldBody } from './field-text.js';
import { chunkLongText } from '../legal/long-text.js';

/** A field longer than this (characters) is cut into paragraph pieces of about half of it. */
export const PROCEDURE_FIELD_LIMIT = 3000;

/** Citation of a procedure field: "Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí". */
export function procedureCitation(code: string, name: string, label: string): string {
  return `Thủ tục ${code} – ${name} · ${label}`;
}

/** Turns one raw national procedure record into a document with one chunk per field that has content. */
export function procedureDocument(
  rec: Record<string, unknown>,
  source: string,
  options: IngestOptions = {},
): IngestedDocument {
  const info = cleanProcedureRecord(rec);
  const type = tidy(field(rec, 'loai_thu_tuc'));
  const chunks: Chunk[] = [];
  for (const f of FIELD_ORDER) {
    const body = fieldBody(info, f, { type });
    if (body.trim() === '') continue;
    const label = FIELD_LABELS[f];
    const pieces =
      body.length <= PROCEDURE_FIELD_LIMIT
        ? [body]
        : chunkLongText(body, PROCEDURE_FIELD_LIMIT / 2).map((p) => p.text);
    pieces.forEach((piece, i) => {
      const text = `${label}${i > 0 ? ' (tiếp)' : ''}:\n${piece}`;
      // The everyday names are searched with the general passage, and change its hash.
      const searchText = f === 'general' && i === 0 ? info.everydayNames?.join('\n') : undefined;
      chunks.push({
        id: `${info.code}#${f}${i > 0 ? `.p${i + 1}` : ''}`,
        docId: info.code,
        ordinal: chunks.length,
        text,
        heading: info.name,
        breadcrumb: [`Thủ tục ${info.code} – ${info.name}`, label],
        citation: procedureCitation(info.code, info.name, label),
        contentHash: chunkHash(info.name, searchedText({ text, searchText })),
        field: f,
        ...(searchText ? { searchText } : {}),
      });
    });
  }
  const url = field(rec, 'detail_url');
  return {
    meta: {
      id: info.code,
      kind: 'procedure',
      title: info.name,
      docType: 'Thủ tục hành chính',
      status: options.status ?? 'con_hieu_luc',
      audience: options.audience ?? 'public',
      source,
      ...(url !== '' ? { url } : {}),
      ...(options.effectiveDate !== undefined ? { effectiveDate: options.effectiveDate } : {}),
      ...(options.expiryDate !== undefined ? { expiryDate: options.expiryDate } : {}),
      contentHash: sha256Hex(chunks.map(searchedText).join('\n\n')),
      procedure: info,
    },
    chunks,
  };
}
