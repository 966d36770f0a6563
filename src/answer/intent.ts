import { expandQuery, fold, normalize, plainKey } from '../text/index.js';

/** What a message is, before retrieval (the message model, learn/models.ts): small talk is answered without searching. */
export type MessageKind = 'greeting' | 'thanks' | 'help' | 'handoff' | 'rejection' | 'question';

/**
 * What chat users mean by a message of emoji or question marks alone, in the words the message
 * model reads ("👍" after an answer is thanks, "👎" says it was wrong, "???" asks what to do).
 * Symbols, not phrases: everything with a letter or a digit goes to the model as it is.
 */
const SYMBOL_WORDS: readonly [RegExp, string][] = [
  [/👎/u, 'sai rồi'],
  [/[👍👌🙏❤💕💖💗💓🥰😍😘😊☺🙂😀😁😃😄👏🤝✅✔💯🌹🌸💐🫶]/u, 'cảm ơn'],
  [/[👋]/u, 'xin chào'],
  [/[?？❓❔🤔]/u, 'bạn giúp được gì'],
];

/**
 * The words a message without letters or digits stands for ("👍" → "cảm ơn"), or '' when its
 * symbols mean nothing the assistant can answer; a message with letters or digits is returned as it is.
 */
export function symbolMeaning(message: string): string {
  if (/[\p{L}\p{N}]/u.test(message)) return message;
  return SYMBOL_WORDS.find(([symbols]) => symbols.test(message))?.[1] ?? '';
}

/**
 * The message without the courtesy clause chat users open with to ask leave to ask ("cho em hỏi",
 * "ad ơi cho mình hỏi", "Chào chị, xin hỏi", "e muon hoi"): the words up to "hỏi" when every one
 * before it only addresses or asks (the filler of subject words, FILLER below, and forms of address).
 * Searched, "hỏi" matches the driving-test questions ("câu hỏi sát hạch") and the opener costs
 * the coverage of the question's word pairs: the train and project questions, each asked with such
 * an opener, lost 3 % of their right answers.
 */
export function withoutOpener(message: string): string {
  const words = message.split(/\s+/u);
  for (let i = 0; i < Math.min(words.length - 1, OPENER_WORDS_MAX); i++) {
    const word = lettersOf(words[i]!);
    if (i > 0 && (word === 'hỏi' || word === 'hoi')) {
      // "hỏi chút", "hỏi thêm là", "hỏi với ạ": what only softens the asking goes too.
      let rest = i + 1;
      while (rest < words.length && AFTER_ASKING.has(fold(lettersOf(words[rest]!)))) rest++;
      return (
        words
          .slice(rest)
          .join(' ')
          .replace(/^[\s,:;.!?…-]+/u, '') || message
      );
    }
    if (!FILLER.has(fold(word)) && !ADDRESS.has(fold(word))) return message;
  }
  return message;
}

/** A word's letters, normalized ("hỏi," → "hỏi"). */
const lettersOf = (word: string): string => normalize(word).replace(/[^\p{L}]/gu, '');

/** Most words of a clause at a message's edge that may be read as courtesy ("Kính gửi Sở Tư pháp tỉnh Lạng Sơn,"). */
const EDGE_CLAUSE_WORDS = 12;

/**
 * The message without what only greets, addresses, introduces the writer or thanks, what
 * `courtesy` (the message model's probability) reads so with at least `min`: a clause that opens
 * the first sentence or closes the last, up to a comma ("Chào ad, …", "…, em cảm ơn ạ"), or
 * thanks typed on without punctuation at its end ("… thanks ad nhieu", read more surely still);
 * and, from `sentenceMin`, whole sentences of a message of several ("Kính gửi quý cơ quan.",
 * "Tôi tên là …, sinh năm …", "Tôi có câu hỏi như sau:", "Xin trân trọng cảm ơn!"). A letter to
 * a portal is framed so; searched, the frame's words ("Trung tâm Phục vụ hành chính công", "phản
 * hồi", "hướng dẫn", "sinh", "trú tại") match records of their own. Otherwise only what
 * punctuation sets apart is read: the message model was fitted on whole messages, and a few
 * words cut out of a question ("Gửi qua bưu điện", "có kết quả vậy ạ?") can read like courtesy
 * to it. The message itself when nothing else would be left.
 */
export function withoutCourtesy(
  message: string,
  courtesy: (part: string) => number,
  min: number,
  sentenceMin = min,
): string {
  const isCourtesy = (part: string) => courtesy(part) >= min;
  // A colon ends what leads in to the question ("Tôi có câu hỏi như sau: …").
  const sentences = message
    .split(/(?<=[.!?…:])\s+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // A sentence that opens with a greeting is courtesy only when what follows its first comma
  // more likely is than not: "alo ad ơi, mình là Việt kiều Mỹ." tells who asks; "Chào anh chị,
  // tôi tên Lan, sinh năm 1990." does not.
  const courteous = (sentence: string) => {
    const comma = sentence.indexOf(',');
    return courtesy(sentence) >= sentenceMin && (comma < 0 || courtesy(sentence.slice(comma + 1)) >= 0.5);
  };
  const kept = sentences.length > 1 ? sentences.filter((s) => !courteous(s)) : sentences;
  if (kept.length === 0) return message;
  const edge = (clause: string) =>
    clause.split(/\s+/u).length <= EDGE_CLAUSE_WORDS && /\p{L}/u.test(clause) && isCourtesy(clause);
  const first = kept[0]!;
  const comma = first.indexOf(',');
  if (comma > 0 && first.slice(comma + 1).trim() !== '' && edge(first.slice(0, comma)))
    kept[0] = first.slice(comma + 1).trim();
  // The last clause: after its last comma, or from a capital that starts a new sentence typed
  // without a stop ("… can giay to gi Mong các anh chị hướng dẫn giúp"); then thanks typed on
  // without either ("… can giay to j thanks ad nhieu"): the last words the model reads most surely
  // as courtesy, not after a question mark, which ends the question itself ("… khu vực cấm bay?"
  // is no goodbye). A message may close twice ("… rep giúp mình nhé, tks page").
  const closed = (last: string): string | undefined => {
    const starts = [
      last.lastIndexOf(',') + 1,
      ...[...last.matchAll(/(?<=\p{Ll}\s+)\p{Lu}/gu)].map((m) => m.index),
    ];
    for (const start of starts.filter((i) => i > 0).sort((a, b) => a - b)) {
      const head = last.slice(0, start).replace(/[\s,]+$/u, '');
      if (head !== '' && edge(last.slice(start))) return head;
    }
    if (/\?[\s\p{P}]*$/u.test(last)) return undefined;
    const words = last.split(/\s+/u);
    let best = 0;
    let length = 0;
    for (let k = 1; k <= Math.min(GLUED_WORDS, words.length - GLUED_HEAD_WORDS); k++) {
      const suffix = words.slice(-k).join(' ');
      if (!/\p{L}/u.test(suffix)) continue;
      const score = courtesy(suffix);
      if (score > best) [best, length] = [score, k];
    }
    if (length === 0 || best < Math.max(min, GLUED_MIN)) return undefined;
    return words
      .slice(0, -length)
      .join(' ')
      .replace(/[\s,]+$/u, '');
  };
  for (let i = 0; i < CLOSINGS_MAX; i++) {
    const head = closed(kept[kept.length - 1]!);
    if (head === undefined) break;
    kept[kept.length - 1] = head;
  }
  return kept.join(' ');
}

/** Closings cut from a message's end, at most. */
const CLOSINGS_MAX = 3;

/**
 * Thanks typed on after a question without punctuation: the surest reading the words must have,
 * the most words read and the fewest left before them. Below 0.97 the last words of questions
 * as written read so ("… tại phường.", "… gì nữa", "… gọi số nào": 0.90–0.96 over the training
 * questions; "thanks ad nhiều", "e cam on ad nhieu" 0.98–1.0).
 */
const GLUED_MIN = 0.97;
const GLUED_WORDS = 8;
const GLUED_HEAD_WORDS = 3;

/** What softens the asking right after "hỏi" (folded): "chút", "tí", "xíu", "thêm", "là", "với", "ạ", "nhé". */
const AFTER_ASKING: ReadonlySet<string> = new Set('chut ti xiu them la voi a ak nhe nha ad mot'.split(' '));

/** Words an opener may hold before "hỏi". */
const OPENER_WORDS_MAX = 8;

/** Forms of address and greeting a chat message opens with (folded): "ad ơi", "chào bác", "e". */
const ADDRESS: ReadonlySet<string> = new Set(
  'ad admin oi chao kinh gui ban b e c mk t ong ba bac chu co chau con dong'.split(' '),
);

/** Longest message searched, in characters; longer ones are answered with a request to shorten. */
export const MAX_QUESTION_CHARS = 3000;

/**
 * A message's asking sentences (those ending in a question mark, else the last sentence) and the
 * story told around them. A citizen who tells their situation first ("Tôi làm công nhân được 6
 * năm, đã nghỉ việc. Xin hỏi … cần giấy tờ gì?") asks in the last sentences. A one-sentence message
 * is all asking.
 */
export function askingAndStory(message: string): { asking: string; story: string } {
  // Greetings and thanks ("Chào anh chị.", "Em cảm ơn ạ.") are neither.
  const sentences = message
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s) && !isCourtesy(s));
  if (sentences.length === 0) return { asking: message, story: '' };
  if (sentences.length === 1) return { asking: sentences[0]!, story: '' };
  const isQuestion = sentences.map((s) => /\?[\s\p{P}]*$/u.test(s));
  const asks = isQuestion.some(Boolean) ? isQuestion : sentences.map((_, i) => i === sentences.length - 1);
  return {
    asking: sentences.filter((_, i) => asks[i]).join(' '),
    story: sentences.filter((_, i) => !asks[i]).join(' '),
  };
}

/** A short sentence that greets or thanks: "Chào anh chị.", "Em cảm ơn ạ.", "Xin cảm ơn cán bộ!". */
function isCourtesy(sentence: string): boolean {
  if (sentence.length > 60 || sentence.includes('?')) return false;
  const plain = plainKey(sentence);
  if (plain.split(' ').length > 6) return false;
  const text = ` ${plain} `;
  return /^ (xin |kinh )?(chao|hello|hi|alo) /u.test(text) || / (cam on|thank|thanks|tks) /u.test(text);
}

/**
 * Question phrases (folded), removed from a message before its subject words are read: they say
 * what is asked about a procedure ("gồm những gì", "ở đâu", "bao lâu", the field's noun), not which
 * one. Which field is asked is the field model's decision (learn/models.ts).
 */
const QUESTION_PHRASES: string[] = [
  'co can giay',
  'can giay',
  'phai co giay',
  'phai nop giay',
  'co can ban sao',
  'can ban sao',
  'giay to gi',
  'giay to nao',
  'nhung giay to',
  'can nhung gi',
  'can gi',
  'chuan bi gi',
  'chuan bi nhung gi',
  'mang theo gi',
  'mang gi',
  'mang nhung gi',
  'nop nhung gi',
  'can nop gi',
  'tai lieu nao',
  'tai lieu gi',
  'ho so gom',
  'ho so gi',
  'thanh phan ho so',
  'bao nhieu bo',
  'may bo',
  'ho so',
  'giay to',
  'to khai',
  'mau don',
  'gom nhung gi',
  'gom co nhung gi',
  'bao gom nhung gi',
  'bao nhieu tien',
  'mat bao nhieu',
  'ton bao nhieu',
  'het bao nhieu',
  'dong bao nhieu',
  'nop bao nhieu',
  'phi bao nhieu',
  'le phi bao nhieu',
  'co mat tien',
  'mat tien khong',
  'mat phi',
  'co mien phi',
  'bao nhieu phi',
  'muc thu',
  'le phi',
  'phi',
  'chi phi',
  'mien phi',
  'tien',
  'bao lau',
  'may ngay',
  'bao nhieu ngay',
  'may hom',
  'may tuan',
  'bao nhieu thang',
  'mat bao nhieu ngay',
  'khi nao co',
  'khi nao nhan',
  'bao gio co',
  'bao gio nhan',
  'cham nhat',
  'han chot',
  'truoc may ngay',
  'thoi han',
  'thoi gian giai quyet',
  'thoi gian',
  'thoi han hieu luc',
  'thoi han su dung',
  'thoi han cua giay',
  'thoi han cua van ban',
  'thoi han cua quyet dinh',
  'thoi han cua the',
  'thoi han cua chung chi',
  'gia tri cua giay',
  'gia tri cua van ban',
  'hieu luc bao lau',
  'gia tri bao lau',
  'gia tri trong bao lau',
  'gia tri su dung trong bao lau',
  'gia tri su dung bao lau',
  'co gia tri',
  'duoc cap gi',
  'nhan duoc gi',
  'ket qua la gi',
  'duoc cap bao nhieu',
  'ket qua',
  'hieu luc',
  'gia tri su dung',
  'o dau',
  'noi nao',
  'cho nao',
  'co quan nao',
  'don vi nao',
  'ai giai quyet',
  'ai cap',
  'ai co tham quyen',
  'phong nao',
  'nop dau',
  'lam dau',
  'den dau',
  'cap nao',
  'tham quyen',
  'co quan',
  'noi nop',
  'cong dich vu cong',
  'dich vu cong',
  'hinh thuc nao',
  'nhung hinh thuc',
  'nop online',
  'truc tuyen',
  'qua mang',
  'online',
  'buu dien',
  'buu chinh',
  'nhung cach nao',
  'cach thuc nao',
  'nop qua',
  'cach thuc',
  'hinh thuc',
  'cac buoc',
  'trinh tu',
  'quy trinh',
  'phai lam gi',
  'lam gi',
  'lam the nao',
  'lam sao',
  'thu tuc gi',
  'thu tuc nhu the nao',
  'nhu the nao',
  'the nao',
  'ra sao',
  'huong dan',
  'nop ho so',
  'tiep nhan ho so',
  'nhan ho so',
  'bao nhieu tuoi',
  'may tuoi',
  'du tuoi',
  'dieu kien gi',
  'dieu kien nao',
  'can dap ung',
  'dap ung dieu kien',
  'truong hop nao',
  'nhung truong hop',
  'doi tuong nao',
  'ai duoc',
  'nhung ai',
  'dieu kien',
  'yeu cau',
  'doi tuong',
  'duoc phep',
  'co duoc',
  'duoc khong',
  'co phai',
  'phai khong',
  'co can',
  'can khong',
  'co bi',
  'bi khong',
  'hay khong',
  'co the',
  'can cu phap ly',
  'van ban nao',
  'luat nao',
  'nghi dinh nao',
  'thong tu nao',
  'dieu nao',
  'dieu may',
  'khoan nao',
  'quy dinh o dau',
  'quy dinh tai dau',
  'co so phap ly',
  'can cu',
];

/**
 * Folded syllables of a message that name a subject: question phrases ("lệ phí", "bao lâu") and
 * filler are removed, and a citizen's phrase is replaced by the records' wording it stands for
 * ("bằng lái" → "giấy phép lái xe").
 */
export function subjectWords(message: string): readonly string[] {
  // A turn reads the same message's subject words for its own result and for the document in focus.
  if (message === lastSubject.message) return lastSubject.words;
  const words = readSubjectWords(message);
  lastSubject = { message, words };
  return words;
}

let lastSubject: { message: string; words: readonly string[] } = { message: '', words: [] };

function readSubjectWords(message: string): string[] {
  const norm = normalize(message);
  const { matched, phraseAdditions } = expandQuery(norm);
  const matchedNeedles = matched.map((phrase) => ` ${fold(phrase)} `);
  const strip = (s: string, needles: string[]) => {
    let text = ` ${fold(s).replace(/[^\p{L}\p{N}/.-]+/gu, ' ')} `;
    for (const needle of needles) while (text.includes(needle)) text = text.replace(needle, ' ');
    return text;
  };
  const words =
    `${strip(norm, [...matchedNeedles, ...RULE_NEEDLES])} ${strip(phraseAdditions.join(' . '), RULE_NEEDLES)}`.split(
      /[^\p{L}\p{N}/.-]+/u,
    );
  return words.filter((w) => w !== '' && !FILLER.has(w));
}

/** The question phrases as whole-word needles (they are folded already), longest first. */
const RULE_NEEDLES = [...new Set(QUESTION_PHRASES)].sort((a, b) => b.length - a.length).map((p) => ` ${p} `);

/** Words of follow-ups and question framing that carry no subject. */
const FILLER: ReadonlySet<string> = new Set(
  (
    'con thi sao the vay nao nay do kia ay nua a ha nhi nhe nha khong ko k co duoc dc bao nhieu gi ' +
    'cho toi minh em anh chi hoi xin cam on the nao la lam sao phai can mang theo nop di den o dau ' +
    'viec thu tuc dieu khoan quy dinh van ban nay cai nay truong hop hay hoac va voi cua trong ' +
    'neu thi ma roi sao nhu vay biet muon duoc khong vui long giup'
  ).split(' '),
);
