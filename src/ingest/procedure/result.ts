const BOILERPLATE = /(?:Từ khóa|Chọn cơ quan thực hiện|Hệ thống chỉ hiển thị|Nộp hồ sơ$)/u;
const CODE = /Mã:\s*[\w.\-/]*?(?=\p{Lu}\p{Ll}|\s|$)/gu;

/**
 * Cleans "Kết quả thực hiện": drops the portal's result codes ("Mã: KQ.G12.001222") and the
 * boilerplate that follows ("Từ khóa…Mô tả…", "Chọn cơ quan thực hiện…"); one result per line.
 */
export function cleanResult(raw: string): string {
  let text = raw.trim();
  const cut = text.search(BOILERPLATE);
  if (cut >= 0) text = text.slice(0, cut);
  const parts = text
    .split(CODE)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '' && !/^Không có thông tin$/iu.test(p));
  return parts.join('\n');
}
