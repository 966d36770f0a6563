/** Vietnamese text pipeline (DESIGN §4), used at ingest and at query time alike. */
export { nfc, normalize, canonicalTones, fold, foldedWords, hasDiacritics, plainKey } from './normalize.js';
export { tokenize, isStopword, bigrams } from './tokenize.js';
export {
  findDocumentNumbers,
  canonicalDocumentNumber,
  documentNumberKey,
  findProcedureCodes,
  baseProcedureCode,
  findDates,
  findMoney,
  type EntityMatch,
  type DocumentNumberMatch,
  type ProcedureCodeMatch,
  type DateMatch,
  type MoneyMatch,
} from './entities.js';
export { detectLegacyEncoding, type LegacyEncodingHit } from './legacy.js';
export {
  expandAbbreviations,
  expandQuery,
  compileLexicon,
  LEXICON,
  type Lexicon,
  type ExpandedQuery,
} from './lexicon.js';
export { learnAcronyms, withAcronyms, type AcronymOptions } from './acronyms.js';
export { asCorpusWrites, learnSpellings, respell } from './spelling.js';
export { PROCEDURE_FIELDS, type FieldHint, type ProcedureField } from './fields.js';
export { DiacriticRestorer, isSyllable, type RestorerData } from './restorer.js';
export { maskPii } from './pii.js';
export { searchedText } from './searched-text.js';
