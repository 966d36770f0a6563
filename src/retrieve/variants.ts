/**
 * Variants of one civil-status service for a foreign party: "Thủ tục đăng ký kết hôn", "… có yếu
 * tố nước ngoài" and "… có yếu tố nước ngoài tại khu vực biên giới" share every word a citizen
 * would use, so the words alone cannot choose between them. A question that says the other party
 * is foreign ("chồng là người Hàn", "quoc tich Phap", "việt kiều") means a variant with the foreign
 * element; a question that does not is answered by either (the shared answer sets count both).
 */
import { foldedWords } from '../text/index.js';
import { rescoreHead, type FusedDocument } from './fusion.js';

const FOREIGN_ELEMENT = 'co yeu to nuoc ngoai';

/** The folded words of a text between single spaces, with one at each end: how names and questions are compared here. */
function plain(text: string): string {
  return ` ${foldedWords(text).join(' ')} `;
}

/**
 * The service a procedure name is a variant of: the name without its parentheses, "Thủ tục", the
 * foreign element and the border area; and whether it is the foreign-element variant.
 */
export function variantOf(name: string): { base: string; foreign: boolean } {
  const text = plain(name.replace(/\([^)]*\)/gu, ' '));
  const foreign = text.includes(` ${FOREIGN_ELEMENT} `);
  const base = text
    .replace(` ${FOREIGN_ELEMENT} `, ' ')
    .replace(' tai khu vuc bien gioi ', ' ')
    .replace(/^ thu tuc /u, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return { base, foreign };
}

/**
 * Countries and peoples a citizen names for the other party, folded. Names that fold to a common
 * word after "người" are left out ("người anh" is an elder brother, "người bị" someone who was,
 * "người Ý" …), as is "Lào" before "Cai" (a Vietnamese province).
 */
const COUNTRIES = [
  'han quoc',
  'han',
  'nhat ban',
  'nhat',
  'trung quoc',
  'tq',
  'dai loan',
  'hong kong',
  'lao(?! cai)',
  'campuchia',
  'thai lan',
  'thai',
  'singapore',
  'malaysia',
  'philippines',
  'indonesia',
  'an do',
  'my',
  'hoa ky',
  'canada',
  'phap',
  'duc',
  'nga',
  'uc',
  'ba lan',
  'sec',
  'ha lan',
  'thuy dien',
  'thuy si',
  'dan mach',
  'na uy',
  'tay',
];

const FOREIGN_PARTY = new RegExp(
  ` (?:(?:nuoc ngoai|viet kieu|ngoai quoc|nuoc anh|nuoc y)|(?:nguoi|quoc tich|ben|sang|o) (?:${COUNTRIES.join('|')})) `,
  'u',
);

/** True when the question says a party is foreign (a nationality, a country, "nước ngoài", "Việt kiều"). */
export function mentionsForeignParty(question: string): boolean {
  return FOREIGN_PARTY.test(plain(question));
}

/**
 * When the question names a foreign party, takes `penalty` off each of the first `depth`
 * candidates that is the variant without the foreign element of a service whose foreign-element
 * variant is among them too, and sorts them again.
 */
export function preferForeignVariants(
  fused: readonly FusedDocument[],
  question: string,
  name: (doc: number) => string | null,
  depth: number,
  penalty: number,
): FusedDocument[] {
  if (penalty <= 0 || fused.length < 2 || !mentionsForeignParty(question)) return [...fused];
  const head = fused.slice(0, depth);
  const variants = head.map((f) => {
    const n = name(f.doc);
    return n === null ? null : variantOf(n);
  });
  const foreignBases = new Set(variants.filter((v) => v?.foreign).map((v) => v!.base));
  if (foreignBases.size === 0) return [...fused];
  return rescoreHead(fused, depth, (f, i) => {
    const v = variants[i];
    return v && !v.foreign && foreignBases.has(v.base) ? { ...f, score: f.score - penalty } : f;
  });
}
