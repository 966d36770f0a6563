import type { ProcedureField } from '../ingest/types.js';
import { expandQuery, fold, normalize } from '../text/index.js';

/** What a message is, before retrieval: small talk is answered without searching. */
export type MessageKind = 'greeting' | 'thanks' | 'help' | 'handoff' | 'question';

/** Longest message searched, in characters; longer ones are answered with a request to shorten. */
export const MAX_QUESTION_CHARS = 1000;

/** Folded whole-message patterns. Small talk must be the whole message, so "chào, lệ phí khai sinh?" is a question. */
const SMALL_TALK: [MessageKind, RegExp][] = [
  ['greeting', /^(xin )?(chao|hello|hi|helo|alo|a lo|hey)( (ban|em|anh|chi|ad|admin|tro ly|bot|shop))?( a| nhe| nha)?$/u],
  ['greeting', /^(good )?(morning|afternoon|evening)$/u],
  ['thanks', /^(xin )?(cam on|cam ơn|thank(s| you)?|tks|thanks a lot|ok cam on|ok|oke|okay|da|vang|duoc roi)( (ban|em|nhieu|nhe|nha|ad|tro ly|a))*$/u],
  ['help', /^(help|tro giup|huong dan|giup (toi|minh|em)|ban (lam|giup) (duoc )?(gi|nhung gi)( vay| the)?|ban la ai|menu|bat dau|start)$/u],
];

/** Anywhere in the message: the user wants a person. */
const HANDOFF =
  /\b(gap|noi chuyen voi|lien he|ket noi|chuyen sang|goi) (can bo|nguoi that|nhan vien|tong dai|tong dai vien|chuyen vien|bo phan mot cua)\b|\b(hotline|so dien thoai lien he|tong dai)\b/u;

/** Classifies a message as small talk, a request for a person, or a question to search. */
export function classifyMessage(message: string): MessageKind {
  const folded = fold(normalize(message))
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  for (const [kind, re] of SMALL_TALK) if (re.test(folded)) return kind;
  if (HANDOFF.test(folded)) return 'handoff';
  return 'question';
}

/**
 * How questions name a procedure field, on folded text. Strength 3: a question phrase ("gồm những
 * gì", "ở đâu", "bao lâu"); 2: the field's noun ("hồ sơ", "thẩm quyền", "lệ phí"); 1: vague forms
 * ("như thế nào", a yes/no question) that count only when nothing stronger is asked.
 */
const FIELD_RULES: [ProcedureField, number, string[]][] = [
  ['ho_so', 3, ['co can giay', 'can giay', 'phai co giay', 'phai nop giay', 'co can ban sao', 'can ban sao', 'giay to gi', 'giay to nao', 'nhung giay to', 'can nhung gi', 'can gi', 'chuan bi gi', 'chuan bi nhung gi', 'mang theo gi', 'mang gi', 'mang nhung gi', 'nop nhung gi', 'can nop gi', 'tai lieu nao', 'tai lieu gi', 'ho so gom', 'ho so gi', 'thanh phan ho so', 'bao nhieu bo', 'may bo']],
  ['ho_so', 2, ['ho so', 'giay to', 'to khai', 'mau don']],
  // "… gồm những gì" lists whatever the question names ("điều kiện … gồm những gì"); alone it asks for the papers.
  ['ho_so', 2, ['gom nhung gi', 'gom co nhung gi', 'bao gom nhung gi']],
  ['phi', 3, ['bao nhieu tien', 'mat bao nhieu', 'ton bao nhieu', 'het bao nhieu', 'dong bao nhieu', 'nop bao nhieu', 'phi bao nhieu', 'le phi bao nhieu', 'co mat tien', 'mat tien khong', 'mat phi', 'co mien phi', 'bao nhieu phi', 'muc thu']],
  ['phi', 2, ['le phi', 'phi', 'chi phi', 'mien phi']],
  ['phi', 1, ['tien']],
  ['thoi_han', 3, ['bao lau', 'may ngay', 'bao nhieu ngay', 'may hom', 'may tuan', 'bao nhieu thang', 'mat bao nhieu ngay', 'khi nao co', 'khi nao nhan', 'bao gio co', 'bao gio nhan', 'cham nhat', 'han chot', 'truoc may ngay']],
  ['thoi_han', 2, ['thoi han', 'thoi gian giai quyet', 'thoi gian']],
  ['ket_qua', 3, ['thoi han hieu luc', 'thoi han su dung', 'thoi han cua giay', 'thoi han cua van ban', 'thoi han cua quyet dinh', 'thoi han cua the', 'thoi han cua chung chi', 'gia tri cua giay', 'gia tri cua van ban', 'hieu luc bao lau', 'gia tri bao lau', 'gia tri trong bao lau', 'gia tri su dung trong bao lau', 'gia tri su dung bao lau', 'co gia tri', 'duoc cap gi', 'nhan duoc gi', 'ket qua la gi', 'duoc cap bao nhieu']],
  ['ket_qua', 2, ['ket qua', 'hieu luc', 'gia tri su dung']],
  ['co_quan', 3, ['o dau', 'noi nao', 'cho nao', 'co quan nao', 'don vi nao', 'ai giai quyet', 'ai cap', 'ai co tham quyen', 'phong nao', 'nop dau', 'lam dau', 'den dau', 'cap nao']],
  ['co_quan', 2, ['tham quyen', 'co quan', 'noi nop']],
  ['cach_thuc', 3, ['cong dich vu cong', 'dich vu cong', 'hinh thuc nao', 'nhung hinh thuc', 'nop online', 'truc tuyen', 'qua mang', 'online', 'buu dien', 'buu chinh', 'nhung cach nao', 'cach thuc nao', 'nop qua']],
  ['cach_thuc', 2, ['cach thuc', 'hinh thuc']],
  ['trinh_tu', 3, ['cac buoc', 'trinh tu', 'quy trinh', 'phai lam gi', 'lam gi', 'lam the nao', 'lam sao', 'thu tuc gi', 'thu tuc nhu the nao']],
  ['trinh_tu', 1, ['nhu the nao', 'the nao', 'ra sao', 'huong dan']],
  // Handing in or receiving the file is a step of the procedure, not its list of papers.
  ['trinh_tu', 2, ['nop ho so', 'tiep nhan ho so', 'nhan ho so']],
  ['dieu_kien', 3, ['bao nhieu tuoi', 'may tuoi', 'du tuoi', 'dieu kien gi', 'dieu kien nao', 'can dap ung', 'dap ung dieu kien', 'truong hop nao', 'nhung truong hop', 'doi tuong nao', 'ai duoc', 'nhung ai']],
  ['dieu_kien', 2, ['dieu kien', 'yeu cau', 'doi tuong', 'duoc phep']],
  ['dieu_kien', 1, ['co duoc', 'duoc khong', 'co phai', 'phai khong', 'co can', 'can khong', 'co bi', 'bi khong', 'hay khong', 'co the']],
  ['can_cu', 3, ['can cu phap ly', 'van ban nao', 'luat nao', 'nghi dinh nao', 'thong tu nao', 'dieu nao', 'dieu may', 'khoan nao', 'quy dinh o dau', 'quy dinh tai dau', 'co so phap ly']],
  ['can_cu', 2, ['can cu']],
];

interface FieldRule {
  field: ProcedureField;
  strength: number;
  phrase: string;
}

const RULES: FieldRule[] = FIELD_RULES.flatMap(([field, strength, phrases]) => phrases.map((phrase) => ({ field, strength, phrase }))).sort(
  (a, b) => b.phrase.length - a.phrase.length,
);

/**
 * The procedure fields a question asks for, at most two: the strongest signals first, earlier
 * before later. Matching is on folded text, so "giây tờ gì" and "giay to gi" count like "giấy tờ gì".
 */
export function askedFields(message: string): ProcedureField[] {
  const text = ` ${fold(normalize(message)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const taken = new Uint8Array(text.length);
  const hits: { field: ProcedureField; strength: number; at: number }[] = [];
  // A closing "… không?" makes a yes/no question; inside a name ("cảng hàng không") it does not.
  if (text.endsWith(' khong ')) hits.push({ field: 'dieu_kien', strength: 1, at: text.length - 7 });
  for (const r of RULES) {
    const needle = ` ${r.phrase} `;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      if (taken.subarray(at + 1, at + needle.length - 1).some((x) => x === 1)) continue;
      taken.fill(1, at + 1, at + needle.length - 1);
      hits.push({ field: r.field, strength: r.strength, at });
    }
  }
  const best = new Map<ProcedureField, { strength: number; at: number }>();
  for (const h of hits) {
    const cur = best.get(h.field);
    if (!cur || h.strength > cur.strength || (h.strength === cur.strength && h.at < cur.at)) best.set(h.field, h);
  }
  const ranked = [...best].sort((a, b) => b[1].strength - a[1].strength || a[1].at - b[1].at);
  const top = ranked[0]?.[1].strength ?? 0;
  // A second field only when it is asked as plainly as the first ("giấy tờ gì, lệ phí bao nhiêu").
  return ranked.filter(([, h], i) => i === 0 || (h.strength === 3 && top === 3)).slice(0, 2).map(([f]) => f);
}

/**
 * Folded syllables of a message that name a subject: question phrases ("lệ phí", "bao lâu") and
 * filler are removed, and a citizen's phrase is replaced by the records' wording it stands for
 * ("bằng lái" → "giấy phép lái xe").
 */
export function subjectWords(message: string): string[] {
  const norm = normalize(message);
  const { matched, phraseAdditions } = expandQuery(norm);
  const matchedNeedles = matched.map((phrase) => ` ${fold(phrase)} `);
  const strip = (s: string, needles: string[]) => {
    let text = ` ${fold(s).replace(/[^\p{L}\p{N}/.-]+/gu, ' ')} `;
    for (const needle of needles) while (text.includes(needle)) text = text.replace(needle, ' ');
    return text;
  };
  const words = `${strip(norm, [...matchedNeedles, ...RULE_NEEDLES])} ${strip(phraseAdditions.join(' . '), RULE_NEEDLES)}`.split(
    /[^\p{L}\p{N}/.-]+/u,
  );
  return words.filter((w) => w !== '' && !FILLER.has(w));
}

/** The question phrases of RULES as whole-word needles (they are folded already), longest first. */
const RULE_NEEDLES = RULES.map((r) => ` ${r.phrase} `);

/** Words of follow-ups and question framing that carry no subject. */
const FILLER: ReadonlySet<string> = new Set(
  (
    'con thi sao the vay nao nay do kia ay nua a ha nhi nhe nha khong ko k co duoc dc bao nhieu gi ' +
    'cho toi minh em anh chi hoi xin cam on the nao la lam sao phai can mang theo nop di den o dau ' +
    'viec thu tuc dieu khoan quy dinh van ban nay cai nay truong hop hay hoac va voi cua trong ' +
    'neu thi ma roi sao nhu vay biet muon duoc khong vui long giup'
  ).split(' '),
);

/** True when a message reads as a follow-up about what is already in focus ("còn lệ phí thì sao?"). */
export function looksLikeFollowUp(message: string): boolean {
  const folded = ` ${fold(normalize(message))} `;
  if (/ (viec nay|thu tuc nay|van ban nay|dieu nay|quy dinh nay|truong hop nay|cai nay|no|do) /u.test(folded)) return true;
  if (/^ (con|the con|vay|the|vay thi|con ve) /u.test(folded)) return true;
  return subjectWords(message).length <= 1;
}
