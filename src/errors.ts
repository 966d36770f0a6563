/** Machine-readable error codes; each maps to one HTTP status at the edge. */
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unsupported_format'
  | 'empty_file'
  | 'pdf_corrupt'
  | 'pdf_encrypted'
  | 'pdf_empty'
  | 'pdf_image_only'
  | 'docx_unreadable'
  | 'legacy_encoding'
  | 'json_malformed'
  | 'record_invalid'
  | 'embedder_mismatch'
  | 'embedder_unavailable'
  | 'snapshot_invalid'
  | 'snapshot_missing'
  | 'config_invalid'
  | 'llm_failed'
  | 'llm_timeout'
  | 'llm_invalid_citation'
  | 'prompt_invalid'
  | 'model_invalid'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  payload_too_large: 413,
  rate_limited: 429,
  unsupported_format: 415,
  empty_file: 422,
  pdf_corrupt: 422,
  pdf_encrypted: 422,
  pdf_empty: 422,
  pdf_image_only: 422,
  docx_unreadable: 422,
  legacy_encoding: 422,
  json_malformed: 422,
  record_invalid: 422,
  embedder_mismatch: 500,
  embedder_unavailable: 503,
  snapshot_invalid: 500,
  snapshot_missing: 503,
  config_invalid: 500,
  model_invalid: 500,
  llm_failed: 502,
  llm_timeout: 504,
  llm_invalid_citation: 502,
  prompt_invalid: 500,
  internal: 500,
};

/** The one error type of the project: a code, an HTTP status, optional context and the original cause. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Which file, field or line the error is about, when there is one. */
  readonly source?: string;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; source?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    if (options.source !== undefined) this.source = options.source;
  }
}

/** Narrows an unknown thrown value to a message without losing the AppError code. */
export function describeError(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
