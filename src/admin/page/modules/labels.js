// @ts-check
/* Trợ lý Công vụ, administration page: the Vietnamese words it shows for the server's codes, and
 * its fixed messages. STATUS and STATUS_TONE name every validity status of src/ingest/types.ts, in
 * order (test/domain-lists.test.ts checks them against it). */

export const WRONG_TOKEN = 'Mã quản trị không đúng.';
export const SESSION_ENDED = 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.';
export const NET_ERROR = 'Không kết nối được máy chủ, vui lòng thử lại.';
export const AFTER_REINDEX = 'Thay đổi có hiệu lực sau khi lập chỉ mục lại.';
export const CONFLICT = 'Đang có một lần lập chỉ mục khác chạy';

/** @type {Record<string, string | undefined>} */
export const STATUS = {
  con_hieu_luc: 'Còn hiệu lực',
  het_hieu_luc_mot_phan: 'Hết hiệu lực một phần',
  het_hieu_luc_toan_bo: 'Hết hiệu lực toàn bộ',
  chua_co_hieu_luc: 'Chưa có hiệu lực',
};

/** @type {Record<string, string | undefined>} */
export const STATUS_TONE = {
  con_hieu_luc: 'ok',
  het_hieu_luc_mot_phan: 'warn',
  het_hieu_luc_toan_bo: 'bad',
  chua_co_hieu_luc: 'muted',
};

/** @type {Record<string, string | undefined>} */
export const AUDIENCE = { public: 'Công khai', internal: 'Nội bộ' };

/** @type {Record<string, string | undefined>} */
export const KIND = { legal: 'Văn bản pháp luật', procedure: 'Thủ tục hành chính', article: 'Bài viết' };

/** @type {Record<string, string | undefined>} */
export const PHASE = {
  starting: 'Chuẩn bị',
  reading: 'Đọc tệp',
  ocr: 'Nhận dạng chữ bản quét (OCR), trang',
  lexical: 'Chỉ mục từ',
  restorer: 'Mô hình dấu',
  embedding: 'Nhúng vector',
  publishing: 'Xuất bản',
  loading: 'Nạp bản mới',
  done: 'Hoàn tất',
};

/** Label and badge tone of each upload result. @type {Record<string, [string, string] | undefined>} */
export const UPLOAD_STATUS = {
  stored: ['Đã lưu', 'ok'],
  replaced: ['Đã thay thế tệp cùng tên', 'ok'],
  duplicate: ['Trùng với tệp đã tải lên', 'warn'],
  failed: ['Không nhận', 'bad'],
};

/** Label and badge tone of each rating. @type {Record<string, [string, string] | undefined>} */
export const RATING = { up: ['Hữu ích', 'ok'], down: ['Chưa hữu ích', 'bad'] };

/** @type {Record<string, string | undefined>} */
export const CHANNEL = { web: 'Web', api: 'API', zalo: 'Zalo', teams: 'Teams' };

/** @type {Record<string, string | undefined>} */
export const ACTION = {
  upload: 'Tải lên',
  edit: 'Sửa thông tin',
  delete: 'Xóa',
  reindex: 'Lập chỉ mục lại',
  reindex_full: 'Xây dựng lại toàn bộ',
  activate_snapshot: 'Khôi phục bản chỉ mục',
  login: 'Đăng nhập',
  login_sso: 'Đăng nhập một lần (SSO)',
  logout: 'Đăng xuất',
  export: 'Xuất tệp CSV',
  purge: 'Xóa dữ liệu cá nhân quá hạn',
};

/** Why single sign-on sent the officer back: /admin?sso=forbidden|failed. @type {Record<string, string | undefined>} */
export const SSO_ERRORS = {
  forbidden:
    'Tài khoản này chưa được cấp quyền sử dụng trang quản trị qua đăng nhập một lần. Vui lòng liên hệ quản trị viên.',
  failed: 'Đăng nhập một lần (SSO) không thành công, vui lòng thử lại.',
};
