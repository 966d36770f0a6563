/**
 * Questions for `npm run bench`: what users ask is mostly distinct, so the mix is the shared
 * question files plus questions generated from the corpus itself (each procedure's or document's
 * name × a field phrase, typed with or without diacritics, some with a typo), so any corpus works.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fold } from '../../src/text/index.js';

/** The shared question files (under ../shared/datasets) whose questions join the generated ones. */
export const SHARED_QUESTION_FILES = [
  'tthc/queries.jsonl',
  'tthc-answers/questions-train.jsonl',
  'tthc-answers/questions-check.jsonl',
  'tthc-answers/dialogues-train.jsonl',
  'tthc-answers/dialogues-check.jsonl',
  'alqac/queries.jsonl',
];

/** Ways citizens and officials ask about a named procedure; {n} is its name. */
const TEMPLATES = [
  '{n} cần giấy tờ gì?',
  'Lệ phí {n} là bao nhiêu?',
  '{n} mất bao lâu?',
  '{n} nộp hồ sơ ở đâu?',
  '{n} có nộp trực tuyến được không?',
  'Trình tự {n} gồm những bước nào?',
  'Điều kiện để {n} là gì?',
  '{n} xong thì nhận được giấy gì?',
  'Căn cứ pháp lý của {n}?',
  'cho em hỏi thủ tục {n}',
  'muốn {n} thì làm thế nào ạ',
  'Đề nghị cho biết thời hạn giải quyết {n}.',
  '{n} có mất phí không',
  'hồ sơ {n} gồm những gì',
  'thủ tục {n} cơ quan nào giải quyết',
];

/** A small deterministic generator (mulberry32), so the same corpus gives the same mix. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A name as people say it: without the level in parentheses, at most ten words, lower case. */
function spokenName(title: string): string {
  return title
    .replace(/\([^)]*\)/gu, ' ')
    .replace(/^thủ tục\s+/iu, '')
    .split(/\s+/u)
    .filter(Boolean)
    .slice(0, 10)
    .join(' ')
    .toLowerCase();
}

/** Drops one letter of one longer word ("đăng ký" → "đăng k"), as a hurried typist does. */
function typo(text: string, rnd: () => number): string {
  const words = text.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4);
  if (long.length === 0) return text;
  const [w, i] = long[Math.floor(rnd() * long.length)]!;
  const at = 1 + Math.floor(rnd() * (w.length - 1));
  words[i] = w.slice(0, at) + w.slice(at + 1);
  return words.join(' ');
}

/** Question texts of JSON Lines files (`text` of each line, or of each turn of a conversation). */
export async function sharedQuestions(files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files.filter((f) => existsSync(f))) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { text?: unknown; turns?: { text?: unknown }[] };
      if (typeof row.text === 'string') out.push(row.text);
      for (const t of row.turns ?? []) if (typeof t.text === 'string') out.push(t.text);
    }
  }
  return out;
}

/**
 * Up to `n` distinct questions: the shared ones first, then names × templates in a seeded random
 * order, a third folded (no diacritics) and a sixth with a typo.
 */
export function distinctQuestions(
  titles: readonly string[],
  shared: readonly string[],
  n: number,
  seed = 1,
): string[] {
  const rnd = random(seed);
  const out = new Set<string>(shared.slice(0, n));
  const names = [...new Set(titles.map(spokenName).filter((t) => t.length > 3))];
  for (let tries = 0; out.size < n && tries < n * 4 && names.length > 0; tries++) {
    const name = names[Math.floor(rnd() * names.length)]!;
    let q = TEMPLATES[Math.floor(rnd() * TEMPLATES.length)]!.replace('{n}', name);
    const r = rnd();
    if (r < 1 / 3) q = fold(q);
    if (r > 5 / 6) q = typo(q, rnd);
    out.add(q);
  }
  // Shuffle so generated and shared questions interleave.
  const list = [...out];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}
