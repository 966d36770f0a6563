export {
  chooseLoader,
  createLoaderRegistry,
  ingestPaths,
  listSourceFiles,
  loadFile,
  LOADABLE_EXTENSIONS,
  type FileResult,
} from './registry.js';
export { loadProcedures, proceduresJsonlLoader } from './procedure/procedures-loader.js';
export { procedureCitation, procedureDocument } from './procedure/procedure-document.js';
export { cleanProcedureRecord } from './procedure/clean-record.js';
export { parseChannels } from './procedure/channels.js';
export { parsePapers } from './procedure/papers.js';
export { parseLegalBasis } from './procedure/legal-basis.js';
export { cleanResult } from './procedure/result.js';
export { FIELD_LABELS, displayFee, displayTime } from './procedure/field-text.js';
export { beirDocument, beirJsonlLoader, loadBeir } from './beir/beir-loader.js';
export { parseLegalStructure } from './legal/structure.js';
export { parseLegalHeader } from './legal/header.js';
export { chunkLegalTree, legalCitation, LEGAL_CHUNK_LIMIT } from './legal/chunk-legal.js';
export { buildLegalDocument } from './legal/legal-document.js';
export { chunkLongText } from './legal/long-text.js';
export { splitArticleBody } from './legal/clauses.js';
export { extractPdfPages } from './loaders/pdf-loader.js';
export { htmlToText } from './loaders/html-loader.js';
export type * from './types.js';
