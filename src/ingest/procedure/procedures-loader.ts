import { AppError } from '../../errors.js';
import { decodeUtf8 } from '../file-text.js';
import { field, firstJsonObjectOfBytes, parseJsonLines } from '../jsonl.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';
import { procedureDocument } from './procedure-document.js';

/** True when a parsed JSON object looks like a national procedure record. */
export function isProcedureRecord(obj: Record<string, unknown>): boolean {
  return 'ma_thu_tuc' in obj && 'ten_thu_tuc' in obj;
}

/**
 * Loads a national procedure JSON Lines file (format of `datasets/tthc/procedures.jsonl`).
 * All-or-nothing: a malformed line → `json_malformed`, a record without code or name →
 * `record_invalid`, both naming the line. A repeated code keeps the first record and adds a warning.
 */
export function loadProcedures(path: string, text: string, options: IngestOptions = {}): IngestedDocument[] {
  const lines = parseJsonLines(path, text);
  const docs: IngestedDocument[] = [];
  const firstLine = new Map<string, { line: number; doc: IngestedDocument }>();
  for (const { line, value } of lines) {
    const code = field(value, 'ma_thu_tuc');
    const name = field(value, 'ten_thu_tuc');
    if (code === '' || name === '') {
      const missing = code === '' ? 'ma_thu_tuc (procedure code)' : 'ten_thu_tuc (procedure name)';
      throw new AppError(
        'record_invalid',
        `${path}: line ${line} has no ${missing}; nothing from this file was indexed`,
        {
          source: `${path}:${line}`,
          reason: `${path}: dòng ${line} thiếu ${code === '' ? 'mã thủ tục (ma_thu_tuc)' : 'tên thủ tục (ten_thu_tuc)'}; chưa có nội dung nào của tệp được đưa vào.`,
        },
      );
    }
    const seen = firstLine.get(code);
    if (seen !== undefined) {
      (seen.doc.warnings ??= []).push(
        `line ${line} repeats procedure ${code} (first on line ${seen.line}); kept the first`,
      );
      continue;
    }
    const doc = procedureDocument(value, path, options);
    firstLine.set(code, { line, doc });
    docs.push(doc);
  }
  return docs;
}

/** Loader for national procedure records in JSON Lines. */
export const proceduresJsonlLoader: Loader = {
  id: 'procedures-jsonl',
  sniff(file: SourceFile): boolean {
    const obj = firstJsonObjectOfBytes(file.bytes);
    return obj !== null && isProcedureRecord(obj);
  },
  async load(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
    return loadProcedures(file.path, decodeUtf8(file.path, file.bytes), options);
  },
};
