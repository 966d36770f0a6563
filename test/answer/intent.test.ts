import { describe, expect, it } from 'vitest';
import { askingAndStory, subjectWords, withoutCourtesy, withoutOpener } from '../../src/answer/intent.js';
import { bundledModels } from '../../src/answer/learn/models.js';
import { fold } from '../../src/text/index.js';

describe('which field of a procedure a question asks for (the field model)', () => {
  const askedFields = (q: string) => bundledModels().fields.asked(q);
  const cases: [string, string[]][] = [
    ['Lệ phí đăng ký khai sinh bao nhiêu?', ['phi']],
    ['Làm hộ chiếu mất bao lâu?', ['thoi_han']],
    ['Nộp hồ sơ đăng ký kết hôn ở đâu?', ['co_quan']],
    // Two asked: the message's most likely field first, then the clauses' in their order.
    ['Đăng ký khai sinh cần giấy tờ gì, lệ phí bao nhiêu?', ['phi', 'ho_so']],
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

describe('a question asked after the asker tells their situation', () => {
  const askedFields = (q: string) => bundledModels().fields.asked(q);
  // The story ("đã nghỉ việc hơn một năm", "công ty đóng bảo hiểm") asks nothing; the fields asked
  // in the last sentence come first, so the answer quotes them before anything else.
  const cases: [string, string[]][] = [
    [
      'Tôi làm công nhân ở khu công nghiệp được 6 năm, đóng bảo hiểm xã hội đầy đủ, đến nay đã nghỉ việc hơn một năm. Tôi muốn hưởng bảo hiểm xã hội một lần thì cần chuẩn bị những giấy tờ gì và nộp ở đâu?',
      ['ho_so', 'co_quan'],
    ],
    [
      'Bố tôi mất ở nhà hôm thứ bảy tuần trước, gia đình đã lo hậu sự xong. Giờ tôi ra xã làm giấy chứng tử cho bố thì cần mang theo giấy tờ gì, bao lâu thì có?',
      ['ho_so', 'thoi_han'],
    ],
    [
      'Em mở quán tạp hóa ở nhà được hai năm, nay muốn có biển hiệu nên cán bộ xã bảo phải đăng ký hộ kinh doanh. Xin hỏi đăng ký mất bao lâu và có phải nộp lệ phí không?',
      ['phi', 'thoi_han'],
    ],
  ];
  it.each(cases)('"%s" is answered first with %j, typed with or without diacritics', (question, first) => {
    expect(askedFields(question).slice(0, first.length)).toEqual(first);
    expect(askedFields(fold(question)).slice(0, first.length)).toEqual(first);
  });

  it('quotes first the field the question asks, not a weak guess from the story', () => {
    const story =
      'Chào anh chị, tôi tên là Hoàng Văn Nam, làm công nhân may ở khu công nghiệp cách nhà hơn bốn mươi cây số, vợ tôi làm ruộng và chăm sóc bố mẹ già ở quê. ' +
      'Cuối tháng trước vợ tôi sinh cháu thứ hai tại trạm y tế xã, mẹ tròn con vuông, cả nhà ai cũng mừng. ' +
      'Do xưởng đang vào mùa cao điểm, tôi chỉ được nghỉ về thăm vợ con hai ngày rồi phải quay lại làm ngay, ông bà nội thì tuổi cao, đi lại khó khăn vì đau khớp. ';
    expect(askedFields(`${story}Lệ phí khai sinh?`)[0]).toBe('phi');
  });

  // Message → [asking sentences, story].
  const splits: [string, string, string][] = [
    // The sentences ending in a question mark ask; the others tell the story.
    [
      'Nhà tôi ở xã Văn Quan. Tôi muốn đăng ký thường trú. Cần giấy tờ gì?',
      'Cần giấy tờ gì?',
      'Nhà tôi ở xã Văn Quan. Tôi muốn đăng ký thường trú.',
    ],
    // Without a question mark, the last sentence asks.
    [
      'nha e o xa Van Quan. e muon dang ky thuong tru thi can giay to j',
      'e muon dang ky thuong tru thi can giay to j',
      'nha e o xa Van Quan.',
    ],
    // Greetings and thanks are neither the question nor the story…
    [
      'Chào anh chị. Nhà tôi ở xã Văn Quan. Xin hỏi đăng ký thường trú cần giấy tờ gì. Em cảm ơn ạ.',
      'Xin hỏi đăng ký thường trú cần giấy tờ gì.',
      'Nhà tôi ở xã Văn Quan.',
    ],
    // … but a question that opens with a greeting is a question.
    [
      'Bố tôi mất hôm qua ở nhà. Chào anh, khai tử ở đâu?',
      'Chào anh, khai tử ở đâu?',
      'Bố tôi mất hôm qua ở nhà.',
    ],
    // A repeated sentence stays where it was told.
    [
      'Nhà tôi ở xã A. Tôi muốn đăng ký thường trú. Nhà tôi ở xã A.',
      'Nhà tôi ở xã A.',
      'Nhà tôi ở xã A. Tôi muốn đăng ký thường trú.',
    ],
    ['Lệ phí đăng ký khai sinh bao nhiêu?', 'Lệ phí đăng ký khai sinh bao nhiêu?', ''],
  ];
  it.each(splits)('reads "%s" as asking "%s" after the story "%s"', (message, asking, story) => {
    expect(askingAndStory(message)).toEqual({ asking, story });
  });
});

describe('the courtesy clause a chat message opens with', () => {
  const cases: [string, string][] = [
    ['cho em hỏi đăng ký khai sinh cần giấy tờ gì', 'đăng ký khai sinh cần giấy tờ gì'],
    ['Ad ơi cho mình hỏi, làm lại căn cước mất bao lâu?', 'làm lại căn cước mất bao lâu?'],
    ['Chào chị, xin hỏi: lệ phí cấp đổi GPLX là bao nhiêu', 'lệ phí cấp đổi GPLX là bao nhiêu'],
    ['e muon hoi lam cccd cho con o dau', 'lam cccd cho con o dau'],
    ['Cháu chào bác, cháu muốn hỏi về đăng ký tạm trú', 'về đăng ký tạm trú'],
    // Unchanged: a question about questions, one that starts with its subject, "hội" (an association) and an opener alone.
    ['câu hỏi sát hạch lái xe gồm bao nhiêu câu', 'câu hỏi sát hạch lái xe gồm bao nhiêu câu'],
    ['hỏi đáp về thủ tục đăng ký kết hôn', 'hỏi đáp về thủ tục đăng ký kết hôn'],
    ['cho hội viên hội nông dân vay vốn cần gì', 'cho hội viên hội nông dân vay vốn cần gì'],
    ['đăng ký kết hôn, cho em hỏi nộp ở đâu', 'đăng ký kết hôn, cho em hỏi nộp ở đâu'],
    ['cho em hỏi', 'cho em hỏi'],
    // What only softens the asking goes with it.
    ['cho mình hỏi chút, làm căn cước ở đâu', 'làm căn cước ở đâu'],
    ['cho em hỏi thêm là đăng ký tạm trú ở đâu', 'đăng ký tạm trú ở đâu'],
    ['cho e hoi voi a le phi bn', 'le phi bn'],
    ['cho em hỏi chút', 'cho em hỏi chút'],
  ];
  for (const [message, searched] of cases)
    it(`searches "${message}" as "${searched}"`, () => {
      expect(withoutOpener(message)).toBe(searched);
    });
});

describe('the frame of a letter or a chat message: salutation, closing, greeting and thanks', () => {
  const messages = bundledModels().messages;
  const courtesy = (part: string) => {
    const s = messages.scores(withoutOpener(part));
    return Math.max(s.greeting ?? 0, s.thanks ?? 0, s.handoff ?? 0);
  };
  const cases: [string, string][] = [
    [
      'Kính gửi Sở Tư pháp tỉnh. Tôi muốn đăng ký khai sinh cho con thì cần giấy tờ gì? Xin trân trọng cảm ơn!',
      'Tôi muốn đăng ký khai sinh cho con thì cần giấy tờ gì?',
    ],
    ['Chào ad, làm lại căn cước mất bao lâu vậy, em cảm ơn ạ', 'làm lại căn cước mất bao lâu vậy'],
    ['lam lai cccd mat bao lau Mong các anh chị hướng dẫn giúp, tôi xin cảm ơn', 'lam lai cccd mat bao lau'],
    // Thanks typed on without a stop or a capital; after a question mark the words are the question's.
    ['lam lai cccd can giay to j thanks ad nhieu', 'lam lai cccd can giay to j'],
    ['doi bang lai xe mat bao lau cam on ad nhieu', 'doi bang lai xe mat bao lau'],
    ['Cơ quan nào phê duyệt khu vực cấm bay?', 'Cơ quan nào phê duyệt khu vực cấm bay?'],
    // Who writes is a frame; what they are is not.
    [
      'Kính gửi quý cơ quan. Tôi tên là Trần Thị Mai, sinh năm 1990, trú tại phường Chi Lăng. Làm lại giấy khai sinh cần giấy tờ gì?',
      'Làm lại giấy khai sinh cần giấy tờ gì?',
    ],
    [
      'alo ad ơi, mình là Việt kiều Mỹ, vợ mình người Mỹ. Xin giấy miễn thị thực ở đâu?',
      'mình là Việt kiều Mỹ, vợ mình người Mỹ. Xin giấy miễn thị thực ở đâu?',
    ],
    ['Tôi có câu hỏi như sau: đăng ký kết hôn cần giấy tờ gì?', 'đăng ký kết hôn cần giấy tờ gì?'],
    ['doi bang lai xe mat bao lau cam on ad nhieu, tks page', 'doi bang lai xe mat bao lau'],
    // Content stays, punctuated or not, even where it names an office or starts with "gửi".
    ['Gửi qua bưu điện được không, gửi tới ai?', 'Gửi qua bưu điện được không, gửi tới ai?'],
    ['Hồ sơ nộp ở đâu, Công an phường hay Ủy ban?', 'Hồ sơ nộp ở đâu, Công an phường hay Ủy ban?'],
    ['Cảm ơn', 'Cảm ơn'],
  ];
  for (const [message, searched] of cases)
    it(`searches "${message}" as "${searched}"`, () => {
      expect(withoutCourtesy(message, courtesy, 0.9, 0.6)).toBe(searched);
    });
});

describe('subject words', () => {
  it('keeps the subject of a question and drops its question words', () => {
    const words = subjectWords('Lệ phí đăng ký khai sinh bao nhiêu tiền vậy?');
    expect(words).toEqual(expect.arrayContaining(['dang', 'ky', 'khai', 'sinh']));
    expect(words).not.toContain('bao');
    expect(words).not.toContain('vay');
  });
});
