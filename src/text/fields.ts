/**
 * The parts of a national procedure record, the one list every layer reads (the chunk's `field`,
 * the lexicon's question words, the answer layer's field model). The order is the order in which
 * a procedure's chunks are written. The names match the `field` tags of the shared question sets,
 * plus `general` (the record's summary), `can_cu` (legal basis) and `doi_tuong` (who may file).
 */
export const PROCEDURE_FIELDS = [
  'general',
  'trinh_tu',
  'cach_thuc',
  'phi',
  'thoi_han',
  'ho_so',
  'dieu_kien',
  'can_cu',
  'ket_qua',
  'co_quan',
  'doi_tuong',
] as const;

/** The part of a procedure record a chunk holds. */
export type ProcedureField = (typeof PROCEDURE_FIELDS)[number];

/** The field of a procedure record a question asks about: any but the summary. */
export type FieldHint = Exclude<ProcedureField, 'general'>;
