/**
 * How people also type a question, for `npm run eval:answers -- <dir> --typed <variant|all>`: the
 * same labelled questions, framed as a letter or a chat, opened with "cho em hỏi", spelled with i
 * for y, with typos, in chat spellings, in capitals or without diacritics. Deterministic: a
 * question's typos depend on its text only, so runs compare.
 */

import { fold } from '../../src/text/index.js';

/** A whole word of a Vietnamese text (JavaScript's \b knows only ASCII letters: "giấy" would hold "gi"). */
const word = (w: string) => new RegExp(`(?<![\\p{L}\\p{M}])${w}(?![\\p{L}\\p{M}])`, 'gu');
const replaceAll =
  (pairs: [string, string][]) =>
  (text: string): string =>
    pairs.reduce((t, [from, to]) => t.replace(word(from), to), text);

/** A small seeded generator (Park–Miller), seeded from the text. */
function generator(text: string): () => number {
  let seed = 7;
  for (const c of text) seed = (seed * 31 + c.codePointAt(0)!) % 2147483647 || 7;
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}

/** One typo in one word of four letters or more: a letter left out, or two swapped. */
function typo(text: string, random: () => number): string {
  const words = text.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^\p{L}{4,}$/u.test(w));
  if (long.length === 0) return text;
  const [w, i] = long[Math.floor(random() * long.length)]!;
  const letters = [...w];
  const at = 1 + Math.floor(random() * (letters.length - 2));
  if (random() < 0.5) letters.splice(at, 1);
  else [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
  words[i] = letters.join('');
  return words.join(' ');
}

/** The question with its one seeded typo (the same every run). */
const oneTypo = (t: string) => typo(t, generator(t));

export const TYPED_VARIANTS: Readonly<Record<string, (text: string) => string>> = {
  'as-written': (t) => t,
  'opener-cho-em-hoi': (t) => `cho em hỏi ${t}`,
  'opener-ad-oi': (t) => `ad ơi cho mình hỏi ${t}`,
  'opener-chao-chi': (t) => `Chào chị, cho tôi hỏi ${t}`,
  'opener-folded': (t) => `e muon hoi ${t}`,
  'opener-hoi-chut': (t) => `cho mình hỏi chút, ${t}`,
  'opener-hoi-them': (t) => `cho em hỏi thêm là ${t}`,
  'letter-salutation': (t) => `Kính gửi Trung tâm Phục vụ hành chính công tỉnh,\n${t}`,
  'letter-closing': (t) => `${t}\nRất mong nhận được phản hồi sớm. Xin trân trọng cảm ơn!`,
  'letter-introduction': (t) =>
    `Kính gửi quý cơ quan,\nTôi tên là Nguyễn Văn Hùng, sinh năm 1978, hiện trú tại xã Hữu Lũng.\n${t}\nRất mong nhận được phản hồi sớm. Xin trân trọng cảm ơn!`,
  'chat-greeting-thanks': (t) => `Chào ad ạ. ${t} Em cảm ơn ạ`,
  'letter-salutation-2': (t) => `Kính thưa cán bộ tiếp dân,\n${t}`,
  'letter-closing-2': (t) => `${t} Mong các anh chị hướng dẫn giúp, tôi xin cảm ơn.`,
  'chat-greeting-thanks-2': (t) => `alo ad ơi, ${t} thanks ad nhiều`,
  'letter-2': (t) => `Thưa quý cơ quan. ${t} Kính mong được giải đáp. Trân trọng.`,
  'i-for-y': replaceAll([
    ['ký', 'kí'],
    ['Ký', 'Kí'],
    ['lý', 'lí'],
    ['kỹ', 'kĩ'],
    ['quy', 'qui'],
    ['mỹ', 'mĩ'],
    ['ky', 'ki'],
    ['ly', 'li'],
  ]),
  'one-typo': oneTypo,
  'two-typos': (t) => {
    const random = generator(t);
    return typo(typo(t, random), random);
  },
  teencode: replaceAll([
    ['gì', 'j'],
    ['gi', 'j'],
    ['không', 'k'],
    ['khong', 'k'],
    ['được', 'dc'],
    ['duoc', 'dc'],
    ['như thế nào', 'ntn'],
    ['nhu the nao', 'ntn'],
    ['bao nhiêu', 'bn'],
    ['bao nhieu', 'bn'],
    ['vậy', 'z'],
    ['với', 'vs'],
    ['rồi', 'r'],
    ['chồng', 'ck'],
    ['vợ', 'vk'],
    ['người', 'ng'],
    ['mình', 'mik'],
    ['trước', 'trc'],
    ['cũng', 'cx'],
  ]),
  capitals: (t) => t.toUpperCase(),
  'without-diacritics': (t) => fold(t),
  'without-diacritics-typo': (t) => fold(oneTypo(t)),
};

/** The variants a --typed value names ('all', or names separated by commas); an unknown name is an error naming the known ones. */
export function typedVariants(value: string): [string, (text: string) => string][] {
  const names = value === 'all' ? Object.keys(TYPED_VARIANTS) : value.split(',').map((s) => s.trim());
  return names.map((name) => {
    const f = TYPED_VARIANTS[name];
    if (!f)
      throw new Error(
        `--typed: unknown variant "${name}"; known: all, ${Object.keys(TYPED_VARIANTS).join(', ')}`,
      );
    return [name, f];
  });
}

/**
 * The frames of a file (`--frames <file>`): one template a line, `{q}` where the question goes and
 * `\n` for a line break, `#` opening a comment line. A line without exactly one `{q}` is an error
 * naming the file and the line.
 */
export function framesOf(text: string, file: string): [string, (text: string) => string][] {
  const frames: [string, (text: string) => string][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.split('{q}').length !== 2)
      throw new Error(`${file}, line ${i + 1}: a frame holds "{q}" exactly once, where the question goes`);
    const [before, after] = line.replaceAll('\\n', '\n').split('{q}') as [string, string];
    frames.push([`frame-${i + 1}`, (q) => `${before}${q}${after}`]);
  });
  if (frames.length === 0) throw new Error(`${file}: no frame (one template a line, with "{q}")`);
  return frames;
}
