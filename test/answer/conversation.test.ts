import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanMessage, createAssistant, settledMove } from '../../src/answer/assistant.js';
import type { MessageKind } from '../../src/answer/intent.js';
import { bundledModels, MessageModel } from '../../src/answer/learn/models.js';
import type { Answer, Assistant } from '../../src/answer/types.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { fold } from '../../src/text/index.js';
import { bundledRetriever } from '../helpers/app.js';

/**
 * What a citizen gets in a conversation on the bundled corpus: codes and numbers inside sentences,
 * elliptic follow-ups, topic switches and questions the corpus cannot answer. The cases are
 * written for the project (not taken from any shared question set).
 */
let retriever: Retriever;
let store: SqliteStore;
let assistant: Assistant;

beforeAll(async () => {
  retriever = await bundledRetriever();
  store = SqliteStore.open(':memory:');
  assistant = createAssistant({
    retriever: () => retriever,
    store,
    handoffContact: 'Tổng đài 1022',
    cacheSize: 0,
  });
}, 120_000);

afterAll(async () => {
  await store.close();
});

const ask = (message: string, conversationId?: string): Promise<Answer> =>
  assistant.reply({
    message,
    channel: 'web',
    audience: 'public',
    ...(conversationId ? { conversationId } : {}),
  });

const KHAI_SINH = '1.001193';

describe('a procedure code or document number inside a sentence', () => {
  const cases: [string, string, string | null][] = [
    ['Đề nghị cho biết thành phần hồ sơ của thủ tục 1.001193 gồm những giấy tờ gì?', KHAI_SINH, 'ho_so'],
    ['cho e hoi thu tuc 1.014064 nop o dau vay', '1.014064', 'co_quan'],
    ['Thủ tục 1.000894 có thu lệ phí không, nếu có thì bao nhiêu?', '1.000894', 'phi'],
    ['Xin hướng dẫn căn cứ pháp lý của thủ tục mã số 3.000347.', '3.000347', 'can_cu'],
    ['thủ tục 1.004194 giải quyết trong bao nhiêu ngày ạ', '1.004194', 'thoi_han'],
  ];
  for (const [question, code, field] of cases) {
    it(`answers "${question}" from procedure ${code}${field ? ` (${field})` : ''}`, async () => {
      const a = await ask(question);
      expect(a.grounded).toBe(true);
      expect(a.citations[0]?.sourceId).toBe(code);
      if (field) expect(a.citations[0]?.field).toBe(field);
    });
  }

  it('answers a question naming a law by its number inside a sentence from that law', async () => {
    const law = retriever.snapshot.documents.find((d) => d.number === '68/2020/QH14')!;
    const a = await ask('Theo Luật số 68/2020/QH14 thì công dân có quyền tự do cư trú như thế nào?');
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.sourceId).toBe(law.id);
  });

  // Written for the project; both were declined with the law as option 1 while the
  // answer-or-decline model had seen only procedures first.
  it.each([
    ['Công dân có quyền tự do cư trú như thế nào theo Luật Cư trú?', '68/2020/QH14'],
    ['Ai có trách nhiệm đi khai tử khi có người chết?', '60/2014/QH13'],
  ])('answers "%s" from the law (%s), which has no procedure name to cover', async (question, number) => {
    const law = retriever.snapshot.documents.find((d) => d.number === number)!;
    const a = await ask(question);
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.sourceId).toBe(law.id);
  });
});

describe('elliptic follow-ups stay on the procedure in focus and answer the field asked', () => {
  // Twenty-nine short follow-ups, fourteen as typed in chat without diacritics.
  const followUps: [string, string][] = [
    ['nop o dau', 'co_quan'],
    ['lau ko', 'thoi_han'],
    ['co mat phi ko', 'phi'],
    ['xong thi nhan dc giay j', 'ket_qua'],
    ['can giay to j', 'ho_so'],
    ['lam online dc ko', 'cach_thuc'],
    ['may ngay thi co', 'thoi_han'],
    ['le phi bn', 'phi'],
    ['cac buoc lam ntn', 'trinh_tu'],
    ['theo nghi dinh nao', 'can_cu'],
    ['Được duyệt thì nhận giấy gì?', 'ket_qua'],
    ['Cơ quan nào có thẩm quyền giải quyết?', 'co_quan'],
    ['Căn cứ pháp lý gồm những văn bản nào?', 'can_cu'],
    ['Phải điền tờ khai theo mẫu nào?', 'ho_so'],
    ['Còn lệ phí thì sao?', 'phi'],
    ['Bao lâu thì có kết quả?', 'thoi_han'],
    ['Có nộp qua bưu điện được không?', 'cach_thuc'],
    ['Trình tự thực hiện thế nào?', 'trinh_tu'],
    ['Hồ sơ gồm những gì?', 'ho_so'],
    ['Nộp hồ sơ ở đâu?', 'co_quan'],
    // Asked leave first, as in chat.
    ['cho mình hỏi chút, nộp ở đâu ạ', 'co_quan'],
    ['cho e hoi them la le phi bn', 'phi'],
    // Pointing back at "the procedure" ("thủ tục này…", a bare "Thủ tục …"): the turn model once read
    // a message starting with "thủ tục" as off-topic, its off-topic examples often beginning "Thủ tục
    // xin visa…". Phrasings written for this test, not in training/.
    ['Thủ tục này nộp ở đâu vậy?', 'co_quan'],
    ['thu tuc do mat bao lau', 'thoi_han'],
    ['Thủ tục có mất lệ phí không?', 'phi'],
    ['thu tuc tren can nhung giay to j', 'ho_so'],
    ['Thủ tục ấy làm qua mạng được không?', 'cach_thuc'],
    ['Thủ tục gồm các bước gì?', 'trinh_tu'],
    ['thu tuc nay can cu vao van ban nao', 'can_cu'],
  ];
  for (const [message, field] of followUps) {
    it(`"${message}" after a question about birth registration quotes its ${field}`, async () => {
      const first = await ask('Đăng ký khai sinh cho con thì làm thế nào?');
      expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
      const next = await ask(message, first.conversationId);
      expect(next.grounded).toBe(true);
      expect(next.citations[0]?.sourceId).toBe(KHAI_SINH);
      expect(next.citations[0]?.field).toBe(field);
    });
  }
});

/** A first question, a follow-up its record answers and a side question to decline in nearly the same words. */
interface FollowUpAndSide {
  first: string;
  code: string;
  followUp: string;
  side: string;
}

/** After `first` answers `code`: the follow-up is answered about it, the side question declined with it kept in focus. */
function followUpsAndSideQuestions(cases: readonly FollowUpAndSide[]): void {
  for (const { first: question, code, followUp, side } of cases) {
    it(`answers "${followUp}" about ${code} in focus`, async () => {
      const first = await ask(question);
      expect(first.citations[0]?.sourceId).toBe(code);
      const a = await ask(followUp, first.conversationId);
      expect(a.grounded).toBe(true);
      expect(a.citations[0]?.sourceId).toBe(code);
    });
    it(`declines "${side}" and keeps ${code} in focus`, async () => {
      const first = await ask(question);
      const a = await ask(side, first.conversationId);
      expect(a.outcome).toBe('declined');
      expect(a.citations).toEqual([]);
      const next = await ask('nộp ở đâu', first.conversationId);
      expect(next.citations[0]?.sourceId).toBe(code);
    });
  }
}

describe('a follow-up and a side question in the same words', () => {
  // Each pair shares its words; what is asked decides. Written for the project.
  const birth = (followUp: string, side: string): FollowUpAndSide => ({
    first: 'Đăng ký khai sinh cần giấy tờ gì?',
    code: KHAI_SINH,
    followUp,
    side,
  });
  followUpsAndSideQuestions([
    birth('Có nhất thiết phải ra xã không hay làm trên mạng được?', 'Gần xã có quán photo nào rẻ không?'),
    birth('phi tinh the nao ad', 'gia heo hoi tuan nay bn ad'),
    birth('Trình tự đăng ký diễn ra như thế nào?', 'Theo ad thì ra xã hay thuê dịch vụ cho nhanh?'),
  ]);
});

describe("a side question on the same subject that no record answers: the foreign side, one's own chances, a private party", () => {
  // Written for the project.
  followUpsAndSideQuestions([
    {
      first: 'Đăng ký khai sinh cho con có bố là người nước ngoài cần giấy tờ gì?',
      code: '2.000528',
      followUp: 'Chồng tôi là người Nhật thì nộp hồ sơ khai sinh cho cháu ở đâu?',
      side: 'Chồng tôi là người Nhật thì bên Nhật yêu cầu giấy tờ gì để cháu có quốc tịch Nhật?',
    },
    {
      first: 'Đăng ký kết hôn cần giấy tờ gì?',
      code: '1.000894',
      followUp: 'Vợ sắp cưới của em là người xã bên thì đăng ký ở xã nào?',
      side: 'Vợ sắp cưới của em là người Lào thì bên Lào có bắt làm thủ tục gì không?',
    },
    {
      first: 'Xin giấy phép xây dựng nhà ở cần những giấy tờ gì?',
      code: '1.013225',
      followUp: 'Nhà tôi xây 4 tầng trong hẻm nhỏ thì nộp hồ sơ xin phép ở đâu?',
      side: 'Nhà tôi xây 4 tầng trong hẻm nhỏ thì theo anh chị có khả năng được duyệt không?',
    },
    {
      first: 'Đăng ký cấp sổ đỏ lần đầu thì cần giấy tờ gì?',
      code: '1.013978',
      followUp: 'Đang chờ cấp sổ đỏ thì bao lâu mới có kết quả?',
      side: 'Đang chờ cấp sổ đỏ thì ngân hàng có cho tôi vay tiền không?',
    },
  ]);
});

describe('small talk in the middle of a conversation', () => {
  it('thanks are answered as thanks, and the next elliptic question still follows up on the procedure', async () => {
    const first = await ask('Đăng ký khai sinh cho con thì làm thế nào?');
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    const thanks = await ask('cam on ban nhieu lam nha', first.conversationId);
    expect(thanks.outcome).toBe('smalltalk');
    expect(thanks.intent).toBe('thanks');
    expect(thanks.citations).toEqual([]);
    const next = await ask('thế lệ phí bao nhiêu?', first.conversationId);
    expect(next.citations[0]?.sourceId).toBe(KHAI_SINH);
    expect(next.citations[0]?.field).toBe('phi');
  });

  it('"không phải cái đó" after an answer drops that procedure, offers the other close matches, and a number picks one for the field asked', async () => {
    const first = await ask('Lệ phí đăng ký khai sinh là bao nhiêu?');
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    const no = await ask('ko phai cai do', first.conversationId);
    expect(no.intent).toBe('rejection');
    expect(no.grounded).toBe(false);
    expect(no.answer).toMatch(/^Xin lỗi, câu trả lời vừa rồi chưa đúng ý bạn\./u);
    expect(no.answer).toContain('Tổng đài 1022');
    expect(no.alternatives.length).toBeGreaterThan(0);
    expect(no.alternatives.map((a) => a.sourceId)).not.toContain(KHAI_SINH);
    const picked = await ask('1', first.conversationId);
    expect(picked.citations[0]?.sourceId).toBe(no.alternatives[0]!.sourceId);
    expect(picked.field).toBe('phi');
    // The administrators see the question whose answer was not what was meant, and what it cited.
    const gaps = (await store.gapReport()).map((g) => g.example);
    expect(gaps).toContain(`Lệ phí đăng ký khai sinh là bao nhiêu? [${KHAI_SINH}: trả lời chưa đúng ý]`);
    // Rejecting the option picked too offers neither it nor the procedure rejected first.
    const again = await ask('sai rồi', first.conversationId);
    expect(again.intent).toBe('rejection');
    const offered = again.alternatives.map((a) => a.sourceId);
    expect(offered).not.toContain(KHAI_SINH);
    expect(offered).not.toContain(no.alternatives[0]!.sourceId);
    expect((await store.gapReport()).map((g) => g.example)).toContain(
      `${picked.citations[0]!.label} [${no.alternatives[0]!.sourceId}: trả lời chưa đúng ý]`,
    );
  });

  it('after "sai rồi" an elliptic question is not read about the procedure just rejected, and a second "sai rồi" offers nothing again', async () => {
    const first = await ask('Đăng ký khai sinh cho con thì làm thế nào?');
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    const no = await ask('tra loi sai roi ad', first.conversationId);
    expect(no.intent).toBe('rejection');
    const again = await ask('sai rồi', first.conversationId);
    expect(again.intent).toBe('rejection');
    expect(again.alternatives).toEqual([]);
    expect(again.answer).toMatch(/^Xin lỗi vì chưa hiểu đúng ý bạn\./u);
    const next = await ask('nộp ở đâu?', first.conversationId);
    expect(next.citations[0]?.sourceId).not.toBe(KHAI_SINH);
  });

  it('"cho em hỏi", "ad ơi cho mình hỏi", "xin hỏi" before a question change nothing in the answer', async () => {
    const bare = await ask('đăng ký khai sinh cần giấy tờ gì');
    expect(bare.citations[0]?.sourceId).toBe(KHAI_SINH);
    for (const opener of ['cho em hỏi ', 'Ad ơi cho mình hỏi, ', 'Chào chị, xin hỏi ', 'cho e hoi ']) {
      const a = await ask(opener + 'đăng ký khai sinh cần giấy tờ gì');
      expect(a.citations[0]?.sourceId, opener).toBe(KHAI_SINH);
      expect(a.field, opener).toBe(bare.field);
      expect(a.confidence, opener).toBeCloseTo(bare.confidence, 6);
    }
  });

  it('a question framed as a letter to the portal (salutation on its own line, closing formula) is answered as the question alone', async () => {
    const bare = await ask('Làm lại thẻ căn cước bị mất cần giấy tờ gì?');
    expect(bare.grounded).toBe(true);
    const letter = await ask(
      'Kính gửi Trung tâm Phục vụ hành chính công tỉnh,\nLàm lại thẻ căn cước bị mất cần giấy tờ gì?\nRất mong nhận được phản hồi sớm. Xin trân trọng cảm ơn!',
    );
    expect(letter.citations[0]?.sourceId).toBe(bare.citations[0]?.sourceId);
    expect(letter.field).toBe(bare.field);
    expect(letter.confidence).toBeCloseTo(bare.confidence, 6);
  });

  it('a short question before a long closing is answered as the question alone, not thanked', async () => {
    const bare = await ask('lam lai cccd can giay to j');
    expect(bare.grounded).toBe(true);
    // As a whole this reads as thanks (the closing outweighs the five words of the question).
    const letter = await ask(
      'lam lai cccd can giay to j. Rất mong nhận được phản hồi sớm. Xin trân trọng cảm ơn!',
    );
    expect(letter.outcome).not.toBe('smalltalk');
    expect(letter.citations[0]?.sourceId).toBe(bare.citations[0]?.sourceId);
    expect(letter.field).toBe(bare.field);
  });

  it('a letter with a self-introduction is answered as its question alone', async () => {
    const bare = await ask('lam lai the can cuoc bi mat can giay to gi');
    const letter = await ask(
      'Kính gửi quý cơ quan,\nTôi tên là Trần Thị Mai, sinh năm 1990, trú tại phường Chi Lăng.\nlam lai the can cuoc bi mat can giay to gi\nRất mong nhận được phản hồi sớm. Xin trân trọng cảm ơn!',
    );
    expect(letter.citations[0]?.sourceId).toBe(bare.citations[0]?.sourceId);
    expect(letter.field).toBe(bare.field);
    expect(letter.grounded).toBe(true);
  });

  it('a letter that only greets and introduces the writer is answered as a greeting', async () => {
    const a = await ask(
      'Kính gửi quý cơ quan. Tôi tên là Trần Thị Mai, sinh năm 1990, trú tại phường Chi Lăng.',
    );
    expect(a.outcome).toBe('smalltalk');
    expect(a.intent).toBe('greeting');
  });

  it('"đăng kí", "dang ki" and "qui định" are answered as "đăng ký" and "quy định"', async () => {
    const bare = await ask('Đăng ký kết hôn nộp hồ sơ ở đâu?');
    expect(bare.grounded).toBe(true);
    for (const typed of ['Đăng kí kết hôn nộp hồ sơ ở đâu?', 'dang ki ket hon nop ho so o dau']) {
      const a = await ask(typed);
      expect(a.citations[0]?.sourceId, typed).toBe(bare.citations[0]?.sourceId);
      expect(a.field, typed).toBe(bare.field);
    }
  });

  it('a thumbs-up or a prayer emoji after an answer is thanked, a thumbs-down rejects the answer, "???" gets help, other symbols are said to be unreadable', async () => {
    const first = await ask('Đăng ký khai sinh cho con thì làm thế nào?');
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    for (const symbols of ['👍', '🙏🙏', '❤️', '👌']) {
      const a = await ask(symbols, first.conversationId);
      expect(a.intent, symbols).toBe('thanks');
    }
    const down = await ask('👎', first.conversationId);
    expect(down.intent).toBe('rejection');
    expect(down.alternatives.map((x) => x.sourceId)).not.toContain(KHAI_SINH);
    expect((await ask('???')).intent).toBe('help');
    const unknown = await ask('🚗🚗');
    expect(unknown.answer).toMatch(/chưa đọc được/u);
    // With words, the emoji is only decoration: the question is answered.
    const asked = await ask('🙏 đăng ký khai sinh cần giấy tờ gì');
    expect(asked.citations[0]?.sourceId).toBe(KHAI_SINH);
  });

  it('"sai rồi" with nothing answered before asks to say more, with the contact and no options', async () => {
    const a = await ask('sai rồi');
    expect(a.intent).toBe('rejection');
    expect(a.alternatives).toEqual([]);
    expect(a.answer).toContain('Bạn vui lòng nói rõ hơn tên thủ tục hoặc việc bạn cần làm.');
    expect(a.answer).toContain('Tổng đài 1022');
  });

  it('"không ạ" to "Bạn còn câu hỏi nào khác không?" closes the chat, it does not reject the answer', async () => {
    const first = await ask('Đăng ký khai sinh cho con thì làm thế nào?');
    await ask('cảm ơn bạn', first.conversationId);
    const no = await ask('không ạ', first.conversationId);
    expect(no.intent).toBe('thanks');
    expect((await store.gapReport()).map((g) => g.example)).not.toContain(
      `cảm ơn bạn [${KHAI_SINH}: trả lời chưa đúng ý]`,
    );
  });

  it('"không phải, tôi hỏi … cơ" naming another procedure is searched as a new question', async () => {
    const first = await ask('Lệ phí đăng ký khai sinh là bao nhiêu?');
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    const next = await ask('không phải, tôi hỏi làm lại thẻ căn cước bị mất cơ', first.conversationId);
    expect(next.grounded).toBe(true);
    expect(next.citations[0]?.sourceId).toBe('1.014064');
  });

  it('a message read as a rejection that names another procedure found with confidence is answered from it', async () => {
    /** The bundled models, with a message model that reads every message as a rejection. */
    class RejectsAll extends MessageModel {
      override kind(): MessageKind {
        return 'rejection';
      }
    }
    const bundled = bundledModels();
    const rejecting = createAssistant({
      retriever: () => retriever,
      store,
      handoffContact: 'Tổng đài 1022',
      cacheSize: 0,
      models: { ...bundled, messages: new RejectsAll(bundled.messages.model, bundled.messages.threshold) },
    });
    const ask2 = (message: string, conversationId?: string) =>
      rejecting.reply({
        message,
        channel: 'web',
        audience: 'public',
        ...(conversationId ? { conversationId } : {}),
      });
    const first = await assistant.reply({
      message: 'Lệ phí đăng ký khai sinh là bao nhiêu?',
      channel: 'web',
      audience: 'public',
    });
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    const named = await ask2('Sai rồi, tôi hỏi làm lại thẻ căn cước bị mất', first.conversationId);
    expect(named.intent).not.toBe('rejection');
    expect(named.citations[0]?.sourceId).toBe('1.014064');
    const bare = await ask2('sai rồi', named.conversationId);
    expect(bare.intent).toBe('rejection');
  });

  it('a request for a person right after an answer is handed over with the contact and who handles the procedure', async () => {
    const first = await ask('Đăng ký khai sinh cho con thì làm thế nào?');
    const handoff = await ask('e muon noi chuyen truc tiep voi can bo', first.conversationId);
    expect(handoff.intent).toBe('handoff');
    expect(handoff.handoff).toBe('Tổng đài 1022');
    expect(handoff.answer).toContain('Tổng đài 1022');
    expect(handoff.answer).toMatch(
      /Thủ tục “Thủ tục đăng ký khai sinh” — Cơ quan thực hiện: Ủy ban nhân dân cấp xã/u,
    );
  });

  it('a request for a person after a declined question names no procedure it only guessed', async () => {
    const declined = await ask('thủ tục nuôi chó mèo cảnh ở chung cư');
    expect(declined.grounded).toBe(false);
    const handoff = await ask('cho tôi gặp cán bộ', declined.conversationId);
    expect(handoff.intent).toBe('handoff');
    expect(handoff.answer).not.toMatch(/thủ tục “/iu);
  });
});

describe('a later message that names another procedure switches to it', () => {
  const switches: [string, string][] = [
    ['À, còn làm lại thẻ căn cước bị mất thì nộp ở đâu?', '1.014064'],
    ['tien hoi luon, dang ky tam tru can giay to gi', '1.004194'],
    ['Ngoài ra, đổi giấy phép lái xe hết hạn mất bao lâu?', '3.000347'],
    ['Còn thủ tục 1.000894 thì lệ phí bao nhiêu?', '1.000894'],
    ['con viec lam phieu ly lich tu phap thi nop o dau', '3.000333'],
  ];
  for (const [message, code] of switches) {
    it(`"${message}" after a birth-registration answer cites ${code}`, async () => {
      const first = await ask('Đăng ký khai sinh cần giấy tờ gì?');
      expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
      const next = await ask(message, first.conversationId);
      expect(next.grounded).toBe(true);
      expect(next.citations[0]?.sourceId).toBe(code);
    });
  }
});

describe('what the conversation model and the answer-or-decline model make of a message together', () => {
  const p = (followup: number, switchP: number, decline: number) => ({ followup, switch: switchP, decline });
  const cases: [string, Parameters<typeof settledMove>, ReturnType<typeof settledMove>][] = [
    [
      'a switch whose own first result answers it is answered',
      [{ move: 'switch', p: p(0.1, 0.8, 0.1) }, true, false],
      'switch',
    ],
    [
      'a switch the search is not sure of, likelier a follow-up than a side question, follows up',
      [{ move: 'switch', p: p(0.3, 0.5, 0.2) }, false, false],
      'followup',
    ],
    [
      'a switch the search is not sure of, likelier a side question, is declined with options',
      [{ move: 'switch', p: p(0.1, 0.5, 0.4) }, false, false],
      'unsure-switch',
    ],
    [
      'a side question whose own first result, another procedure, answers it is answered as a switch',
      [{ move: 'decline', p: p(0.1, 0.4, 0.5) }, true, false],
      'switch',
    ],
    [
      'a side question whose confident first result is the focus is declined',
      [{ move: 'decline', p: p(0.1, 0.4, 0.5) }, true, true],
      'decline',
    ],
    [
      'a side question the search is not sure of is declined',
      [{ move: 'decline', p: p(0.1, 0.4, 0.5) }, false, false],
      'decline',
    ],
    [
      'a side question likelier a follow-up than a switch is declined',
      [{ move: 'decline', p: p(0.3, 0.2, 0.5) }, true, false],
      'decline',
    ],
    ['a follow-up follows up', [{ move: 'followup', p: p(0.6, 0.3, 0.1) }, true, false], 'followup'],
  ];
  for (const [name, args, expected] of cases) it(name, () => expect(settledMove(...args)).toBe(expected));
});

describe('a new subject the search is not sure of, in a conversation', () => {
  it('is declined with its closest procedures as numbered options; a number picks one and follow-ups go on about it', async () => {
    const first = await ask('Đăng ký khai sinh cần giấy tờ gì?');
    expect(first.citations[0]?.sourceId).toBe(KHAI_SINH);
    const unsure = await ask(
      'À nhân tiện, em tôi mua lại chiếc xe của người quen thì sao?',
      first.conversationId,
    );
    expect(unsure.grounded).toBe(false);
    // The transfer of a vehicle's registration to its new owner.
    expect(unsure.alternatives[0]?.sourceId).toBe('1.013076');
    expect(unsure.answer).toMatch(/1\./u);
    const picked = await ask('1', first.conversationId);
    expect(picked.grounded).toBe(true);
    expect(picked.citations[0]?.sourceId).toBe('1.013076');
    const next = await ask('nộp ở đâu vậy', first.conversationId);
    expect(next.citations[0]?.sourceId).toBe('1.013076');
  });

  it('said with what is wanted ("muốn đứng tên"), is answered: the everyday names of the transfer say it so', async () => {
    const first = await ask('Đăng ký khai sinh cần giấy tờ gì?');
    const transfer = await ask(
      'À nhân tiện, em trai tôi mới mua lại chiếc xe máy cũ của người quen, giờ muốn đứng tên thì sao?',
      first.conversationId,
    );
    expect(transfer.grounded).toBe(true);
    expect(transfer.citations[0]?.sourceId).toBe('1.013076');
    // The everyday names are searched, never quoted as the record's words.
    expect(transfer.answer).not.toMatch(/sang tên xe máy mua lại của người khác/u);
  });
});

describe('questions the corpus cannot answer are declined with the hand-off contact', () => {
  const nearMisses = [
    'Thủ tục xin visa du lịch Hàn Quốc cần những giấy tờ gì?',
    'chot so bhxh khi nghi viec thi lam o dau',
    'Xin chuyển trường cho con đang học lớp 6 thì cần hồ sơ gì?',
    'Quán ăn nhỏ có phải xin giấy chứng nhận an toàn thực phẩm không?',
    'lanh tro cap that nghiep can nhung gi',
    'Khám bệnh trái tuyến bằng thẻ BHYT được hưởng bao nhiêu phần trăm?',
    'Lương hưu của tôi được tính như thế nào?',
  ];
  for (const message of nearMisses) {
    it(`declines "${message}"`, async () => {
      const a = await ask(message);
      expect(a.grounded).toBe(false);
      expect(a.handoff).toBe('Tổng đài 1022');
    });
  }

  it('declines an opinion asked in the middle of a conversation, typed with or without diacritics', async () => {
    for (const message of [
      'Theo bạn thì có nên đặt tên con theo họ mẹ không?',
      fold('Theo bạn thì có nên đặt tên con theo họ mẹ không?'),
    ]) {
      const first = await ask('Đăng ký khai sinh cần giấy tờ gì?');
      const next = await ask(message, first.conversationId);
      expect(next.grounded).toBe(false);
    }
  });
});

describe('a matter next to the records that none holds is declined, and its twin in the same words is answered', () => {
  const pairs: [nearMiss: string, twin: string, code: string][] = [
    [
      'Mở tài khoản ngân hàng cho con dưới 14 tuổi thì bố mẹ cần mang những giấy tờ gì?',
      'Cấp thẻ căn cước cho con dưới 14 tuổi thì bố mẹ cần mang những giấy tờ gì?',
      '1.014062',
    ],
    [
      'lam ho chieu pho thong lan dau can nhung giay to gi, nop o dau',
      'lam the can cuoc lan dau cho con 15 tuoi can nhung giay to gi, nop o dau',
      '1.014061',
    ],
    [
      'Xin trích lục bản án ly hôn ở tòa án thì cần giấy tờ gì?',
      'Xin cấp bản sao trích lục kết hôn ở UBND xã thì cần giấy tờ gì?',
      '2.000635',
    ],
    [
      'Gia hạn visa du lịch cho bạn người Hàn Quốc đang ở Việt Nam thì làm ở đâu?',
      'Gia hạn tạm trú cho người thuê trọ sắp hết hạn thì làm ở đâu?',
      '1.002755',
    ],
    [
      'Mua bảo hiểm xe máy bắt buộc ở đâu, giá bao nhiêu?',
      'Đăng ký xe máy mới mua ở đâu, lệ phí bao nhiêu?',
      '1.013067',
    ],
  ];
  for (const [nearMiss, twin, code] of pairs) {
    it(`declines "${nearMiss}" and answers "${twin}" from ${code}`, async () => {
      const declined = await ask(nearMiss);
      expect(declined.grounded).toBe(false);
      expect(declined.handoff).toBe('Tổng đài 1022');
      const answered = await ask(twin);
      expect(answered.grounded).toBe(true);
      expect(answered.citations[0]?.sourceId).toBe(code);
    });
  }
});

describe('a question told after a long story, as people write to a portal', () => {
  const STORY =
    'Chào anh chị, tôi tên là Hoàng Văn Nam, làm công nhân may ở khu công nghiệp cách nhà hơn bốn mươi cây số, vợ tôi làm ruộng và chăm sóc bố mẹ già ở quê. ' +
    'Cuối tháng trước vợ tôi sinh cháu thứ hai tại trạm y tế xã, mẹ tròn con vuông, cả nhà ai cũng mừng. ' +
    'Do xưởng đang vào mùa cao điểm, tôi chỉ được nghỉ về thăm vợ con hai ngày rồi phải quay lại làm ngay, ông bà nội thì tuổi cao, đi lại khó khăn vì đau khớp. ';

  it('is answered from what its last sentence asks, with the papers quoted', async () => {
    const a = await ask(
      `${STORY}Xin hỏi bây giờ tôi muốn đăng ký khai sinh cho cháu thì cần chuẩn bị những giấy tờ gì?`,
    );
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.sourceId).toBe(KHAI_SINH);
    expect(a.citations[0]?.field).toBe('ho_so');
  });

  it('is answered at 1,300 characters, not sent back to be shortened', async () => {
    const long = `${STORY.repeat(3)}Xin hỏi làm giấy khai sinh cho cháu thì cần những giấy tờ gì?`;
    expect(long.length).toBeGreaterThan(1_200);
    const a = await ask(long);
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.sourceId).toBe(KHAI_SINH);
  });

  it('typed one sentence a line without stops, as in chat, is answered from its last line', async () => {
    const lines =
      STORY.replace(/\. /gu, '\n') +
      '\nXin hỏi làm giấy khai sinh cho cháu thì cần chuẩn bị những giấy tờ gì';
    expect(cleanMessage(lines)).toContain('ông bà nội thì tuổi cao, đi lại khó khăn vì đau khớp. Xin hỏi');
    const a = await ask(lines);
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.sourceId).toBe(KHAI_SINH);
  });

  it('is still declined when what it asks is nothing the records hold', async () => {
    const a = await ask(`${STORY}Xin hỏi cháu bị sốt cao thì nên cho uống thuốc hạ sốt loại nào?`);
    expect(a.grounded).toBe(false);
  });

  it('over 3,000 characters, is asked to be put shorter', async () => {
    const a = await ask(`${STORY.repeat(8)}Xin hỏi làm giấy khai sinh cần giấy tờ gì?`);
    expect(a.grounded).toBe(false);
    expect(a.answer).toMatch(/tóm tắt/u);
  });
});
