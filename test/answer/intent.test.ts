import { describe, expect, it } from 'vitest';
import { classifyMessage, subjectWords } from '../../src/answer/intent.js';
import { bundledModels } from '../../src/answer/learn/models.js';
import { fold } from '../../src/text/index.js';

describe('which field of a procedure a question asks for (the field model)', () => {
  const askedFields = (q: string) => bundledModels().fields.asked(q);
  const cases: [string, string[]][] = [
    ['Lệ phí đăng ký khai sinh bao nhiêu?', ['phi']],
    ['Làm hộ chiếu mất bao lâu?', ['thoi_han']],
    ['Nộp hồ sơ đăng ký kết hôn ở đâu?', ['co_quan']],
    ['Đăng ký khai sinh cần giấy tờ gì, lệ phí bao nhiêu?', ['ho_so', 'phi']],
    // "… gồm những gì" lists what the question names: for a whole procedure people mean its papers.
    ['Thủ tục cấp giấy phép xây dựng là gì?', []],
    ['Thủ tục cấp giấy phép xây dựng gồm những gì?', ['ho_so']],
    ['Điều kiện cấp giấy phép kinh doanh vận tải gồm những gì?', ['dieu_kien']],
    ['Trình tự cấp lại thẻ căn cước gồm những gì?', ['trinh_tu']],
    // Handing the file in is a step; what to hand in is the papers; where is the agency.
    ['Nộp hồ sơ xin cấp giấy phép hoạt động đo đạc được quy định như thế nào?', ['trinh_tu']],
    ['Nộp hồ sơ cấp giấy phép lái xe cần những gì?', ['ho_so']],
    ['Nộp hồ sơ cấp phiếu lý lịch tư pháp ở đâu?', ['co_quan']],
    // How long a result stays valid is the result, not the processing time.
    ['Thời hạn hiệu lực của giấy phép lao động được quy định thế nào?', ['ket_qua']],
    ['Giá trị của giấy xác nhận tình trạng hôn nhân kéo dài trong bao lâu?', ['ket_qua']],
    ['Thời hạn giải quyết cấp giấy phép xây dựng là bao lâu?', ['thoi_han']],
    // Whether a given paper is needed is a question about the papers.
    ['Làm thẻ căn cước có cần giấy khai sinh không?', ['ho_so']],
    ['Nhận con nuôi thì người nhận phải hơn trẻ ít nhất bao nhiêu tuổi?', ['dieu_kien']],
    // An interview is a step of the procedure; "hàng không" inside a name is not a yes/no question.
    ['Đăng ký kết hôn có phải phỏng vấn không?', ['trinh_tu']],
    ['Thủ tục đóng tạm thời cảng hàng không được quy định như thế nào?', ['trinh_tu']],
  ];
  for (const [question, fields] of cases) {
    it(`"${question}" asks for ${fields.join(' and ')}, typed with or without diacritics`, () => {
      expect(askedFields(question)).toEqual(fields);
      expect(askedFields(fold(question))).toEqual(fields);
    });
  }
});

describe('small talk and subject words', () => {
  it('answers a bare greeting without searching, but not a greeting followed by a question', () => {
    expect(classifyMessage('Xin chào!')).toBe('greeting');
    expect(classifyMessage('chào, lệ phí khai sinh?')).toBe('question');
  });

  it('keeps the subject of a question and drops its question words', () => {
    const words = subjectWords('Lệ phí đăng ký khai sinh bao nhiêu tiền vậy?');
    expect(words).toEqual(expect.arrayContaining(['dang', 'ky', 'khai', 'sinh']));
    expect(words).not.toContain('bao');
    expect(words).not.toContain('vay');
  });
});
