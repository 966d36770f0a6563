/** Machine-readable error codes; each maps to one HTTP status at the edge. */
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unsupported_format'
  | 'empty_file'
  | 'pdf_corrupt'
  | 'pdf_encrypted'
  | 'pdf_empty'
  | 'pdf_image_only'
  | 'ocr_failed'
  | 'not_a_document'
  | 'duplicate_document'
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
  forbidden: 403,
  payload_too_large: 413,
  rate_limited: 429,
  unsupported_format: 415,
  empty_file: 422,
  pdf_corrupt: 422,
  pdf_encrypted: 422,
  pdf_empty: 422,
  pdf_image_only: 422,
  ocr_failed: 422,
  not_a_document: 422,
  duplicate_document: 409,
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
  /** The specific reason in Vietnamese, for the person who reads it (a file's ingest summary); else `userMessage` per code. */
  readonly reason?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; source?: string; reason?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    if (options.source !== undefined) this.source = options.source;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}

/** Narrows an unknown thrown value to a message without losing the AppError code. */
export function describeError(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** What a citizen or an officer reads for each code (Vietnamese); the English message stays for logs and `detail`. */
const USER_MESSAGES: Record<ErrorCode, string> = {
  bad_request: 'Yêu cầu không hợp lệ.',
  not_found: 'Không tìm thấy.',
  conflict: 'Thao tác bị trùng với một việc đang chạy, vui lòng chờ xong rồi thử lại.',
  unauthorized: 'Cần đăng nhập quản trị.',
  forbidden: 'Tài khoản của bạn không có quyền thực hiện thao tác này.',
  payload_too_large: 'Nội dung gửi lên quá lớn.',
  rate_limited: 'Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút.',
  unsupported_format: 'Định dạng tệp chưa được hỗ trợ.',
  empty_file: 'Tệp không có nội dung.',
  pdf_corrupt: 'Tệp PDF bị hỏng, không đọc được.',
  pdf_encrypted: 'Tệp PDF có mật khẩu, không đọc được.',
  pdf_empty: 'Tệp PDF không có nội dung.',
  pdf_image_only: 'Tệp PDF là bản quét (chỉ có ảnh), cần nhận dạng chữ (OCR) trước khi đưa vào.',
  ocr_failed: 'Không nhận dạng được chữ trong bản quét.',
  not_a_document:
    'Tệp không phải là một văn bản (trang báo lỗi, gần như trống hoặc không có nội dung văn bản).',
  duplicate_document: 'Văn bản này đã có trong kho từ một tệp khác.',
  docx_unreadable: 'Tệp Word không đọc được.',
  legacy_encoding: 'Văn bản dùng bảng mã cũ (TCVN3/VNI), cần chuyển sang Unicode.',
  json_malformed: 'Tệp JSON không đúng định dạng.',
  record_invalid: 'Bản ghi thủ tục không hợp lệ.',
  embedder_mismatch: 'Đã có lỗi ở máy chủ, vui lòng thử lại sau.',
  embedder_unavailable: 'Dịch vụ tìm kiếm tạm thời không sẵn sàng, vui lòng thử lại sau.',
  snapshot_invalid: 'Đã có lỗi ở máy chủ, vui lòng thử lại sau.',
  snapshot_missing: 'Đang nạp chỉ mục, vui lòng thử lại sau ít phút.',
  config_invalid: 'Đã có lỗi ở máy chủ, vui lòng thử lại sau.',
  model_invalid: 'Đã có lỗi ở máy chủ, vui lòng thử lại sau.',
  llm_failed: 'Dịch vụ soạn câu trả lời tạm thời không sẵn sàng, vui lòng thử lại sau.',
  llm_timeout: 'Dịch vụ soạn câu trả lời phản hồi quá chậm, vui lòng thử lại sau.',
  llm_invalid_citation: 'Dịch vụ soạn câu trả lời trả về nội dung không hợp lệ, vui lòng thử lại sau.',
  prompt_invalid: 'Đã có lỗi ở máy chủ, vui lòng thử lại sau.',
  internal: 'Đã có lỗi ở máy chủ, vui lòng thử lại sau.',
};

/**
 * The Vietnamese message of an error for the person who made the request. A bad request names the
 * field it is about when the English message starts with one ("message: …" → trường “message”).
 */
export function userMessage(err: AppError): string {
  if (err.reason !== undefined) return err.reason;
  const field = err.code === 'bad_request' ? /^([\w.]+): /u.exec(err.message)?.[1] : undefined;
  return field ? `Yêu cầu không hợp lệ ở trường “${field}”.` : USER_MESSAGES[err.code];
}

/** JSON body of an error response: the code, the Vietnamese message, and for a 4xx the English detail (file, field, line). */
export function errorBody(err: AppError): { error: ErrorCode; message: string; detail?: string } {
  return { error: err.code, message: userMessage(err), ...(err.status < 500 ? { detail: err.message } : {}) };
}
