/**
 * How much of a procedure's name the question accounts for. A procedure name says exactly what
 * the procedure does ("Cấp lại thẻ căn cước", "Hòa giải tranh chấp đất đai"), and a citizen who
 * names the service in their own words covers most of it, while BM25 over the passages also
 * rewards long names and bodies that merely share a few of the question's words ("… căn cước
 * điện tử cho công dân Việt Nam (cấp xã)"). The share is IDF-weighted and computed on folded
 * terms, so a question typed without diacritics covers a name as well as an accented one.
 */
import { contentSegments, FOLDED, withBigrams } from '../index/lexical/analyzer.js';
import { bigrams, fold, foldedWords } from '../text/index.js';
import { rescoreHead, type FusedDocument } from './fusion.js';

/** A folded term of a name and its IDF in the lexical index. */
export interface WeightedTerm {
  term: string;
  idf: number;
}

/** Tunables of the re-ranking. */
export interface NameCoverageParams {
  /** Added to the fused score (best document ≈ 1) times the covered share; 0 switches it off. */
  weight: number;
  /** Fused candidates re-ranked; the rest keep their order below them. */
  depth: number;
  /** Taken off when the name's operation ("Xóa …", "Cấp lại …") is one the question does not mention. */
  operationPenalty: number;
  /**
   * Taken off when the question asks for an operation in so many words ("làm lại", "xin gia hạn")
   * and the name holds none of those asked: "Đăng ký tạm trú" for "sắp hết hạn, phải gia hạn".
   */
  askedOperationPenalty: number;
  /**
   * Taken off when the name says at which level it is done ("(cấp tỉnh)", "(thực hiện tại cấp
   * xã)") and the question names another ("ra công an phường làm lại").
   */
  levelPenalty: number;
  /**
   * An everyday name of the procedure (src/ingest/procedure/everyday-names.ts) covered counts as
   * this share of its name covered; the larger of the two is the share.
   */
  everydayWeight: number;
}

export const DEFAULT_NAME_COVERAGE: NameCoverageParams = {
  weight: 0.4,
  depth: 20,
  operationPenalty: 0.1,
  askedOperationPenalty: 0.2,
  levelPenalty: 0.1,
  everydayWeight: 1,
};

/**
 * Operations that turn a service into a different one: "Xóa đăng ký phương tiện" or "Thu hồi giấy
 * chứng nhận" is not what someone asking how to register or who grants the certificate wants.
 * Each is a folded term of the name and the folded question terms that mention it ("làm lại"
 * mentions "cấp lại"). Only the first syllables of a name say its operation. `askedBy` are the
 * folded words and pairs with which a question asks for the operation itself: "lại" alone is too
 * common a word ("còn lại", "ở lại") to ask for anything, "làm lại" is not.
 */
export interface Operation {
  term: string;
  mentionedBy: readonly string[];
  askedBy: readonly string[];
}

export const OPERATIONS: readonly Operation[] = [
  { term: 'xoa', mentionedBy: ['xoa', 'huy'], askedBy: ['xoa'] },
  { term: 'huy', mentionedBy: ['huy', 'xoa'], askedBy: ['huy'] },
  // Handing papers back ("nộp lại cà vẹt") is their revocation seen from the citizen's side.
  {
    term: 'thu_hoi',
    mentionedBy: ['thu_hoi', 'nop_lai', 'tra_lai'],
    askedBy: ['thu_hoi', 'nop_lai', 'tra_lai'],
  },
  // Something expiring is renewed, exchanged or issued again.
  { term: 'lai', mentionedBy: ['lai', 'het_han'], askedBy: ['cap_lai', 'lam_lai', 'ky_lai', 'xin_lai'] },
  {
    term: 'doi',
    mentionedBy: ['doi', 'het_han'],
    askedBy: ['cap_doi', 'doi_lai', 'doi_bang', 'doi_giay', 'doi_the', 'doi_so'],
  },
  { term: 'gia_han', mentionedBy: ['gia_han', 'keo_dai', 'het_han'], askedBy: ['gia_han'] },
  { term: 'dieu_chinh', mentionedBy: ['dieu_chinh', 'sua', 'thay_doi'], askedBy: ['dieu_chinh'] },
  { term: 'cham_dut', mentionedBy: ['cham_dut', 'dung', 'ket_thuc'], askedBy: ['cham_dut'] },
  { term: 'tam_ngung', mentionedBy: ['tam_ngung', 'ngung', 'tam_dung'], askedBy: ['tam_ngung', 'tam_dung'] },
  { term: 'dinh_chi', mentionedBy: ['dinh_chi'], askedBy: ['dinh_chi'] },
];

/** Syllables at the start of a name that may hold its operation ("Cấp lại", "Đăng ký lại"). */
const OPERATION_SYLLABLES = 3;

/** A procedure name without its parenthesised tail ("(cấp xã)" names the level, not the service). */
function withoutParentheses(name: string): string {
  return name.replace(/\([^)]*\)/gu, ' ');
}

/** The operations a procedure name starts with. */
export function nameOperations(name: string): Operation[] {
  return operationsOf(contentSegments(withoutParentheses(name)));
}

function operationsOf(segments: readonly string[][]): Operation[] {
  const first = segments
    .flat()
    .slice(0, OPERATION_SYLLABLES)
    .map((t) => fold(t));
  const present = new Set([...first, ...bigrams(first)]);
  return OPERATIONS.filter((o) => present.has(o.term));
}

/**
 * True when the question asks for operations ("xin cấp lại", "muốn xóa") and the name holds none
 * of them: among its first syllables, or for a two-syllable operation anywhere ("Thông báo tạm
 * ngừng kinh doanh"); a one-syllable one elsewhere is another word folded alike ("lái xe").
 */
export function lacksAskedOperation(
  name: { terms: readonly WeightedTerm[]; operations: readonly Operation[] },
  question: ReadonlySet<string>,
): boolean {
  const asked = OPERATIONS.filter((o) => o.askedBy.some((m) => question.has(m)));
  return (
    asked.length > 0 &&
    !asked.some(
      (o) =>
        name.operations.includes(o) || (o.term.includes('_') && name.terms.some((t) => t.term === o.term)),
    )
  );
}

/**
 * Administrative levels: the commune (xã, phường, thị trấn), the province (and the former
 * district, whose services went to it) and the centre (ministries, central agencies).
 */
export type Level = 'xa' | 'tinh' | 'tw';

/** The levels a name states in parentheses: "(cấp tỉnh)", "(thực hiện tại cấp trung ương)". */
export function nameLevels(name: string): Level[] {
  const out = new Set<Level>();
  for (const m of name.matchAll(/\(([^)]*)\)/gu)) {
    const at = /^(?:thuc hien (?:tai|o) )?cap (xa|huyen|tinh|bo|tw|trung uong)$/u.exec(
      foldedWords(m[1]!).join(' '),
    );
    if (at) out.add(at[1] === 'xa' ? 'xa' : at[1] === 'tinh' || at[1] === 'huyen' ? 'tinh' : 'tw');
  }
  return [...out];
}

/**
 * Where a question says it files: words that name an office of a level. Typed without diacritics,
 * only phrases that fold to nothing else count ("so" is số as often as sở, "tinh" tính or tình).
 */
const LEVEL_CUES: readonly { level: Level; accented: RegExp; folded: RegExp }[] = [
  {
    level: 'xa',
    accented:
      /(?:^|[^\p{L}])(?:cấp xã|ubnd xã|ủy ban xã|công an (?:xã|phường)|(?:ra|lên|ở|tại) (?:xã|phường)|thị trấn)(?![\p{L}])/u,
    folded:
      /(?:^| )(?:cap xa|ubnd xa|uy ban xa|cong an (?:xa|phuong)|(?:ra|len|tai) (?:xa|phuong)|thi tran)(?= |$)/u,
  },
  {
    level: 'tinh',
    accented: /(?:^|[^\p{L}])(?:cấp tỉnh|ubnd tỉnh|công an tỉnh|sở|tỉnh)(?![\p{L}])/u,
    folded: /(?:^| )(?:cap tinh|ubnd tinh|uy ban tinh|cong an tinh)(?= |$)/u,
  },
  {
    level: 'tw',
    accented: /(?:^|[^\p{L}])(?:trung ương|cấp bộ|của bộ|bộ công an|bộ ngoại giao)(?![\p{L}])/u,
    folded: /(?:^| )(?:trung uong)(?= |$)/u,
  },
];

/** The levels a question names (empty for most: citizens seldom say where they file). */
export function questionLevels(normalized: string, withoutDiacritics: boolean): Level[] {
  const text = normalized.toLowerCase();
  const folded = withoutDiacritics ? foldedWords(text).join(' ') : '';
  return LEVEL_CUES.filter((c) => (withoutDiacritics ? c.folded.test(folded) : c.accented.test(text))).map(
    (c) => c.level,
  );
}

/** True when the name states levels and the question names levels, none of them the name's. */
export function otherLevel(name: readonly Level[], question: readonly Level[]): boolean {
  return name.length > 0 && question.length > 0 && !name.some((l) => question.includes(l));
}

/** True when the name starts with operations ("Gia hạn, điều chỉnh …") and the question mentions none of them. */
export function missesOperation(operations: readonly Operation[], question: ReadonlySet<string>): boolean {
  return operations.length > 0 && !operations.some((o) => o.mentionedBy.some((m) => question.has(m)));
}

/** Folded unigrams and bigrams of a name with their IDF (`df` counts passages per folded term). */
export function weightedNameTerms(
  name: string,
  passages: number,
  df: (foldedTerm: string) => number,
): WeightedTerm[] {
  return weighted(contentSegments(withoutParentheses(name)), passages, df);
}

/** weightedNameTerms() and nameOperations() of a name, from one analysis of it. */
export function nameProfile(
  name: string,
  passages: number,
  df: (foldedTerm: string) => number,
): { terms: WeightedTerm[]; operations: Operation[]; levels: Level[] } {
  const segments = contentSegments(withoutParentheses(name));
  return {
    terms: weighted(segments, passages, df),
    operations: operationsOf(segments),
    levels: nameLevels(name),
  };
}

function weighted(
  segments: readonly string[][],
  passages: number,
  df: (foldedTerm: string) => number,
): WeightedTerm[] {
  const seen = new Set<string>();
  const out: WeightedTerm[] = [];
  for (const t of segments.flatMap(withBigrams)) {
    const term = fold(t);
    if (seen.has(term)) continue;
    seen.add(term);
    const n = df(FOLDED + term);
    out.push({ term, idf: Math.log(1 + (passages - n + 0.5) / (n + 0.5)) });
  }
  return out;
}

/** IDF-weighted share of the name's terms that are among the question's terms (0…1). */
export function coverage(name: readonly WeightedTerm[], question: ReadonlySet<string>): number {
  let total = 0;
  let covered = 0;
  for (const { term, idf } of name) {
    total += idf;
    if (question.has(term)) covered += idf;
  }
  return total > 0 ? covered / total : 0;
}

/** How a procedure's name matches a question (see rerankByNameCoverage). */
export interface NameMatch {
  share: number;
  missesOperation: boolean;
  lacksAskedOperation: boolean;
  /** The name states a level and the question names another. */
  otherLevel: boolean;
}

/**
 * Adds `weight × share` to the fused score of the first `depth` candidates that have a name, takes
 * `operationPenalty` off those whose operation the question does not mention and
 * `askedOperationPenalty` off those that lack the operation the question asks for and
 * `levelPenalty` off those done at another level than the question names (`name` returns
 * null for documents that are not procedures), and sorts them again.
 */
export function rerankByNameCoverage(
  fused: readonly FusedDocument[],
  name: (doc: number) => NameMatch | null,
  p: NameCoverageParams,
): FusedDocument[] {
  if (
    (p.weight <= 0 && p.operationPenalty <= 0 && p.askedOperationPenalty <= 0 && p.levelPenalty <= 0) ||
    fused.length === 0
  )
    return [...fused];
  return rescoreHead(fused, p.depth, (f) => {
    const n = name(f.doc);
    if (n === null) return f;
    const delta =
      p.weight * n.share -
      (n.missesOperation ? p.operationPenalty : 0) -
      (n.lacksAskedOperation ? p.askedOperationPenalty : 0) -
      (n.otherLevel ? p.levelPenalty : 0);
    return delta === 0 ? f : { ...f, score: f.score + delta };
  });
}
