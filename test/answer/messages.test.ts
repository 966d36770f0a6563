import { describe, expect, it } from 'vitest';
import type { MessageKind } from '../../src/answer/intent.js';
import { bundledModels, messageKind } from '../../src/answer/learn/models.js';

/**
 * The message model tells a question from small talk and from a rejection of the last answer. The
 * small talk and rejections were written for this test, not taken from training/messages.jsonl:
 * they stand for what people type that nobody wrote down. A few of the questions are the issue's
 * own examples of elliptic follow-ups, which the training files hold as questions too.
 */
const smallTalk: [string, MessageKind][] = [
  ['Chào trợ lý, chúc một ngày tốt lành', 'greeting'],
  ['chào buổi sáng nhé', 'greeting'],
  ['alo alo, có ai ở đó không', 'greeting'],
  ['hi tro ly', 'greeting'],
  ['Kính chào Ủy ban', 'greeting'],
  ['cảm ơn trợ lý nhiều nha', 'thanks'],
  ['ok mình hiểu rồi, cảm ơn nhé', 'thanks'],
  ['tuyệt quá, cám ơn bạn', 'thanks'],
  ['Dạ em cảm ơn anh chị đã hỗ trợ ạ', 'thanks'],
  ['Thank you very much', 'thanks'],
  ['dạ vâng, em hiểu rồi ạ', 'thanks'],
  ['Trợ lý làm được những việc gì?', 'help'],
  ['em hỏi bạn những gì được', 'help'],
  ['trợ lý này hỏi được những gì', 'help'],
  ['cho tôi nói chuyện với cán bộ', 'handoff'],
  ['muon gap nguoi that tu van', 'handoff'],
  ['cho xin số hotline của bộ phận một cửa', 'handoff'],
  ['sai rồi', 'rejection'],
  ['ko phai cai do', 'rejection'],
  ['không phải thủ tục này', 'rejection'],
  ['bạn hiểu nhầm ý tôi rồi', 'rejection'],
  ['Câu trả lời không liên quan đến câu hỏi của tôi.', 'rejection'],
  ['đúng rồi, cảm ơn bạn', 'thanks'],
];

const questions = [
  'chào, lệ phí khai sinh?',
  'Xin chào, cho tôi hỏi làm lại căn cước mất bao lâu',
  'lệ phí sang tên xe máy bao nhiêu ạ, em cảm ơn',
  'ok, thế còn nộp ở đâu?',
  'cảm ơn, cho hỏi thêm đăng ký kết hôn cần giấy gì',
  'hướng dẫn thủ tục đăng ký thường trú',
  'cán bộ nào tiếp nhận hồ sơ cấp giấy phép xây dựng',
  'Cơ quan nào có thẩm quyền giải quyết?',
  'nop o dau',
  'lau ko',
  'co mat phi ko',
  'Thủ tục 1.001193 gồm những giấy tờ gì?',
  'không phải chủ hộ có đăng ký thường trú được không',
  'khai sai năm sinh thì sửa ở đâu',
];

describe('a message is a question or small talk, from the message model', () => {
  const models = bundledModels();

  it.each(smallTalk)('reads "%s" as %s, answered without searching', (text, kind) => {
    expect(models.messages.kind(text)).toBe(kind);
  });

  it.each(questions)('reads "%s" as a question to search', (text) => {
    expect(models.messages.kind(text)).toBe('question');
  });

  it('reads a message without letters as a question (a number picks an option), whatever the scores', () => {
    const thanks = { question: 0.01, greeting: 0, thanks: 0.99, help: 0, handoff: 0, rejection: 0 };
    expect(messageKind('2', thanks, 0.25)).toBe('question');
    expect(messageKind('ok', thanks, 0.25)).toBe('thanks');
    expect(messageKind('ok', { ...thanks, thanks: 0.2 }, 0.25)).toBe('question');
  });
});
