import type { OcrProgress, OcrSettings } from './ocr/tesseract.js';
import type { ProcedureField } from '../text/index.js';

/** Who may see a document: citizens' channels only ever see 'public'. */
export type Audience = 'public' | 'internal';

/** Validity of a legal document (DESIGN §5). */
export const VALIDITY_STATUSES = [
  'con_hieu_luc',
  'het_hieu_luc_mot_phan',
  'het_hieu_luc_toan_bo',
  'chua_co_hieu_luc',
] as const;
export type ValidityStatus = (typeof VALIDITY_STATUSES)[number];

/** legal: a normative or individual legal text; procedure: a national TTHC record; article: a BEIR corpus entry. */
export type DocumentKind = 'legal' | 'procedure' | 'article';

/** The part of a procedure record a chunk holds: one of PROCEDURE_FIELDS (src/text/fields.ts). */
export type { ProcedureField };

/** One row of the repaired "Cách thức thực hiện" table. */
export interface ChannelRow {
  /** "Trực tiếp" | "Trực tuyến" | "Dịch vụ bưu chính" or the record's own wording. */
  channel: string;
  /** Processing time as written, preferring unit-bearing text ("05 ngày làm việc"). */
  time: string;
  /** Fee cell as written ("Lệ phí : 8.000 Đồng", "Miễn phí"). */
  fee: string;
  description: string;
  /** True when the portal's time cell had no unit ("Trực tiếp5") and no unit-bearing text was found. */
  timeUnitMissing?: boolean;
  /** True when the fee amount looks truncated ("100 VNĐ"); quote the description instead. */
  feeSuspect?: boolean;
}

/** One required paper of "Thành phần hồ sơ". */
export interface PaperRow {
  name: string;
  /** e.g. "Bản chính: 1, Bản sao: 0" as written. */
  quantity: string;
  /** Form name when the record gives one (mẫu đơn, tờ khai). */
  form: string;
}

/** Cleaned, typed view of a national procedure record, kept for field-precise answers. */
export interface ProcedureInfo {
  code: string;
  name: string;
  domain: string;
  levels: string[];
  /** Decision that published the procedure, e.g. "163/QĐ-BTP". */
  decision: string;
  /** Who may file. */
  applicants: string;
  /** Implementing / competent agencies and the filing address, joined. */
  agencies: string;
  steps: string;
  channels: ChannelRow[];
  /** Channel text that did not fit the table (a note before the rows, or a table that could not be split). */
  channelsText?: string;
  papers: PaperRow[];
  /** The papers text as cleaned, for records whose table could not be split. */
  papersText: string;
  conditions: string;
  legalBasis: string;
  result: string;
  /** How people name the need it serves (everyday-names.ts); read by retrieval, never quoted. */
  everydayNames?: string[];
}

/** Document-level metadata. Dates are ISO `yyyy-mm-dd`. */
export interface DocumentMeta {
  /** Procedure code, document number, BEIR `_id`, or a slug of the file name. Unique in an index. */
  id: string;
  kind: DocumentKind;
  title: string;
  /** Canonical document number, e.g. "123/2015/NĐ-CP". */
  number?: string;
  /** "Luật", "Nghị định", "Thông tư", "Quyết định", … */
  docType?: string;
  issuer?: string;
  signedDate?: string;
  effectiveDate?: string;
  expiryDate?: string;
  status: ValidityStatus;
  audience: Audience;
  /** Numbers or ids of the documents this one replaces. */
  replaces?: string[];
  /** The file the document came from (path as given to ingest). */
  source: string;
  url?: string;
  /** sha256 hex of the document's text content. */
  contentHash: string;
  /** Page count for PDFs. */
  pages?: number;
  /** Pages (1-based) whose text comes from OCR; absent for documents with a text layer throughout. */
  scannedPages?: number[];
  /** OCR pages whose mean word confidence (0–100) is under the floor: their text may be wrong. */
  lowConfidencePages?: { page: number; confidence: number }[];
  /** What the document is attached to when it is an annex (Phụ lục) published as its own file. */
  annexOf?: string;
  /** Place of signing ("Hà Nội"), when the header gives it. */
  place?: string;
  /** True for a draft or a copy whose number is left blank ("Số:    /QĐ-UBND"). */
  unnumbered?: boolean;
  procedure?: ProcedureInfo;
}

/** A retrievable passage with its exact place in the document's structure. */
export interface Chunk {
  /** Deterministic: `${docId}#${structural path}` (e.g. "123/2015/NĐ-CP#d9.k1", "1.001193#phi"). */
  id: string;
  docId: string;
  /** Position of the chunk in its document, from 0. */
  ordinal: number;
  /** Display text (NFC, original casing). */
  text: string;
  /** The heading weighed as a title: procedure name, or document title + "Điều 9. …". */
  heading: string;
  /** Document number or title › Chương › Điều › Khoản › Điểm, or procedure › field label. */
  breadcrumb: string[];
  /** Vietnamese-order citation: "Khoản 1 Điều 9 Nghị định 123/2015/NĐ-CP", "Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí". */
  citation: string;
  /** sha256 hex of heading + text. */
  contentHash: string;
  page?: number;
  part?: string;
  chapter?: string;
  section?: string;
  article?: string;
  clause?: string;
  point?: string;
  field?: ProcedureField;
  /** True when the passage's page was read by OCR from a scan (cited as "bản quét, trang N"). */
  scanned?: boolean;
  /**
   * Words searched with the passage but never shown or quoted: on a procedure's general passage,
   * its everyday names (procedure/everyday-names.ts), which are the project's words, not the record's.
   */
  searchText?: string;
}

/** What a loader returns: one document and its chunks. */
export interface IngestedDocument {
  meta: DocumentMeta;
  chunks: Chunk[];
  /** Non-fatal notes from the loader (e.g. a duplicated procedure code that was skipped). */
  warnings?: string[];
}

/** A file handed to the loader registry. */
export interface SourceFile {
  /** Path as given (used in messages and as `DocumentMeta.source`). */
  path: string;
  bytes: Uint8Array;
}

/** Metadata an administrator or the CLI supplies for a file; overrides what the header says. */
export interface IngestOptions {
  audience?: Audience;
  status?: ValidityStatus;
  effectiveDate?: string;
  expiryDate?: string;
  replaces?: string[];
}

export type LoaderId =
  'pdf' | 'docx' | 'doc' | 'rtf' | 'image' | 'text' | 'html' | 'procedures-jsonl' | 'beir-jsonl';

/** How a load runs, as opposed to what the document is (`IngestOptions`): OCR settings and progress. */
export interface LoadContext {
  /** OCR of scanned pages and images; `DEFAULT_OCR_SETTINGS` when absent. */
  ocr?: OcrSettings;
  /** Pages recognised so far of the pages this file needs recognised. */
  onOcrProgress?: OcrProgress;
}

/** One input format. `sniff` looks at the bytes (magic numbers, first JSON line), not only the extension. */
export interface Loader {
  id: LoaderId;
  sniff(file: SourceFile): boolean;
  load(file: SourceFile, options: IngestOptions, context?: LoadContext): Promise<IngestedDocument[]>;
}
