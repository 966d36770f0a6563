/**
 * Detection of text extracted from legacy Vietnamese font encodings (DESIGN §4.8). Documents typed
 * in TCVN3 (.VnTime) or VNI fonts come out of PDF/Word extraction as Latin-1 look-alikes
 * ("Céng hoµ x· héi chñ nghÜa ViÖt Nam"); indexing that silently would make them unfindable.
 */

export interface LegacyEncodingHit {
  encoding: 'TCVN3' | 'VNI';
  /** A short piece of the offending text, for the error message. */
  sample: string;
}

/** Frequent words as they appear when TCVN3 text is read as Latin-1 / Windows-1252. */
const TCVN3_WORDS =
  /(?:^|[\s(,.;:])(?:vµ|cña|lµ|®−îc|®­îc|cã|kh«ng|ng−êi|ViÖt|viÖc|nµy|®Þnh|NghÞ|tÞch|®¨ng|Céng|hoµ|x·|héi|chñ|nghÜa|§éc|lËp|H¹nh|phóc|§iÒu|QuyÕt|ñy|nh©n|d©n)(?=$|[\s),.;:])/gu;
/** Frequent words as they appear when VNI text is read as Latin-1 / Windows-1252. */
const VNI_WORDS =
  /(?:^|[\s(,.;:])(?:vaø|cuûa|laø|ñöôïc|coù|khoâng|ngöôøi|Vieät|vieäc|naøy|ñònh|Nghò|hoä|tòch|ñaêng|Coäng|hoøa|xaõ|hoäi|chuû|nghóa|Ñoäc|laäp|Haïnh|phuùc|Ñieàu|Quyeát|nhaân|daân)(?=$|[\s),.;:])/gu;
/** Letters that only precomposed Unicode Vietnamese uses (ạ…ỹ, ă, ơ, ư, đ). */
const UNICODE_VIETNAMESE = /[\u1ea0-\u1ef9ăĂơƠưƯđĐ]/gu;

function count(re: RegExp, text: string): { n: number; first: RegExpExecArray | null } {
  re.lastIndex = 0;
  let n = 0;
  let first: RegExpExecArray | null = null;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    n++;
    first ??= m;
  }
  return { n, first };
}

/**
 * Returns the legacy encoding a text appears to be in, or null for ordinary Unicode text. Looks at
 * the first 50,000 characters: legacy-shaped words must be frequent and Unicode Vietnamese rare.
 */
export function detectLegacyEncoding(text: string): LegacyEncodingHit | null {
  const head = text.slice(0, 50_000).normalize('NFC');
  const unicode = (head.match(UNICODE_VIETNAMESE) ?? []).length;
  for (const [encoding, re] of [
    ['TCVN3', TCVN3_WORDS],
    ['VNI', VNI_WORDS],
  ] as const) {
    const { n, first } = count(re, head);
    if (n >= 3 && n * 4 > unicode && first) {
      const at = first.index;
      const sample = head
        .slice(Math.max(0, at - 10), at + 40)
        .replace(/\s+/g, ' ')
        .trim();
      return { encoding, sample };
    }
  }
  return null;
}
