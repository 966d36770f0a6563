import type { Suggestion } from './types.js';

/** Example questions offered on greeting and help; they work on the bundled corpus. */
export const EXAMPLE_QUESTIONS = [
  'Đăng ký khai sinh cần những giấy tờ gì?',
  'Lệ phí cấp bản sao trích lục hộ tịch là bao nhiêu?',
  'Đăng ký kết hôn nộp hồ sơ ở đâu?',
];

export const GREETING =
  'Xin chào! Tôi là Trợ lý Công vụ. Tôi có thể giải đáp về thủ tục hành chính (thành phần hồ sơ, phí, lệ phí, ' +
  'thời hạn giải quyết, cơ quan thực hiện, cách thức nộp) và quy định trong các văn bản pháp luật, kèm trích dẫn nguồn. ' +
  'Bạn có thể gõ có dấu hoặc không dấu.';

export const HELP =
  'Bạn hãy đặt câu hỏi ngắn gọn về một thủ tục hoặc quy định, ví dụ: “làm giấy khai sinh cần gì”, ' +
  '“lệ phí đăng ký kết hôn bao nhiêu”, “cấp lại CCCD mất mấy ngày”. Sau mỗi câu trả lời, bạn có thể hỏi tiếp ' +
  '(“còn lệ phí thì sao?”, “nộp online được không?”) hoặc trả lời bằng số để chọn một gợi ý. ' +
  'Gõ “gặp cán bộ” để nhận thông tin liên hệ.';

export const THANKS = 'Rất vui được hỗ trợ bạn. Bạn còn câu hỏi nào khác không?';

export const EMPTY = 'Bạn vui lòng nhập câu hỏi về thủ tục hành chính hoặc quy định pháp luật.';

export const UNREADABLE = 'Tôi chưa đọc được nội dung tin nhắn. Bạn vui lòng gửi câu hỏi bằng chữ.';

/** Reply to a message over the length limit. */
export function tooLong(limit: number): string {
  return `Câu hỏi dài quá ${limit.toLocaleString('vi-VN')} ký tự. Bạn vui lòng tóm tắt lại ngắn gọn hơn.`;
}

/** Reply to "gặp cán bộ"; in a conversation about a procedure, also who handles it ("Cơ quan thực hiện: …"). */
export function handoffReply(contact: string, procedure?: { name: string; agency: string }): string {
  const reply = `Bạn có thể liên hệ trực tiếp cán bộ để được hỗ trợ: ${contact}.`;
  return procedure ? `${reply}\nThủ tục “${procedure.name}” — ${procedure.agency}.` : reply;
}

/** An apology, the close matches numbered with how to pick one (or `none` without any), and the contact. */
function withOptions(
  apology: string,
  suggestions: Suggestion[],
  pick: string,
  none: string | null,
  contact: string,
): string {
  const lines = [apology];
  if (suggestions.length > 0) {
    lines.push('Có thể bạn muốn hỏi về:');
    suggestions.forEach((s, i) => lines.push(`${i + 1}. ${s.title}`));
    lines.push(pick);
  } else if (none) lines.push(none);
  lines.push(`Nếu cần hỗ trợ trực tiếp, vui lòng liên hệ: ${contact}.`);
  return lines.join('\n');
}

/** Reply when retrieval is not confident: an apology, the closest matches, and the contact. */
export function declineReply(suggestions: Suggestion[], contact: string): string {
  return withOptions(
    'Xin lỗi, tôi chưa tìm được thông tin đủ chắc chắn để trả lời câu hỏi này.',
    suggestions,
    '(Trả lời bằng số để chọn.)',
    null,
    contact,
  );
}

/**
 * Reply when the user says the last answer (`answered`) or the options offered were not what they
 * meant: an apology, the other close matches, and the contact.
 */
export function rejectionReply(suggestions: Suggestion[], contact: string, answered: boolean): string {
  return withOptions(
    answered ? 'Xin lỗi, câu trả lời vừa rồi chưa đúng ý bạn.' : 'Xin lỗi vì chưa hiểu đúng ý bạn.',
    suggestions,
    '(Trả lời bằng số để chọn, hoặc nói rõ hơn tên thủ tục, việc bạn cần làm.)',
    'Bạn vui lòng nói rõ hơn tên thủ tục hoặc việc bạn cần làm.',
    contact,
  );
}

/** Note appended when the procedure's record holds nothing of what was asked (`what`: the field's label). */
export function unrecordedNote(what: string, contact: string): string {
  return `Để biết ${what.toLowerCase()} của thủ tục này, bạn vui lòng liên hệ: ${contact}.`;
}

/** Note appended when the question asks what the procedure's record does not state at all. */
export function unrecordedDetailNote(contact: string): string {
  return `Để biết thông tin này, bạn vui lòng liên hệ: ${contact}.`;
}

/** Note appended when several procedures fit the question. */
export function choiceNote(alternatives: Suggestion[], firstTitle: string): string {
  const lines = [
    `Lưu ý: có ${alternatives.length + 1} thủ tục cùng tên hoặc gần giống. Câu trả lời trên là của thủ tục “${firstTitle}”; các thủ tục khác:`,
  ];
  for (const s of alternatives) lines.push(`- ${s.title} (mã ${s.sourceId})`);
  return lines.join('\n');
}
