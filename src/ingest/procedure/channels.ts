import type { ChannelRow } from '../types.js';

const HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
const NO_INFO = 'Không có thông tin';
// A row starts where a channel name is glued to the next cell (a digit or a capital letter).
const ROW_START = /(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|\p{Lu})/gu;
const WORDED_TIME = /^(Không quy định|Không có thông tin|Không)(?=\p{Lu}|$)/u;
const UNIT = '(?:Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Tuần|Phút)';
const TIME_WITH_UNIT = new RegExp(`^(\\d+(?:[.,]\\d+)?) ?(${UNIT})`, 'u');
const CURRENCY = '(?:Việt Nam Đồng|VNĐ|Đồng|đồng|USD|EUR)';
const AMOUNT = new RegExp(`^([\\d.,]*) ?${CURRENCY}`, 'u');
const LABELLED_FEE = new RegExp(`^(?:(?:Lệ phí|Phí)\\s*:\\s*[\\d.,]*\\s*${CURRENCY}?\\s*)+`, 'u');
const BARE_DIGITS_THEN_AMOUNT = new RegExp(`^(\\d+(?:,\\d{3})*) ?${CURRENCY}`, 'u');
/** Unit-bearing durations as the steps write them: "05 ngày làm việc", "03 (ba) ngày". */
const DURATION_TEXT = /(\d+)\s*(?:\([^)]{1,20}\)\s*)?(ngày làm việc|ngày|giờ làm việc|giờ|tháng)/giu;

/** The text of a balanced "(…)" group starting at `s[0]`, or '' when `s` does not start with "(". */
function parenGroup(s: string): string {
  if (!s.startsWith('(')) return '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return s.slice(0, i + 1);
  }
  return s;
}

/** Splits "1" + "20 VNĐ(20.000 …)" glued as "120 VNĐ(20.000 …)": returns the time digits and the fee rest. */
function splitGluedDigits(rest: string): { time: string; feeRest: string } | null {
  const m = BARE_DIGITS_THEN_AMOUNT.exec(rest);
  if (m === null) return null;
  const digits = (m[1] ?? '').replace(/,/g, '');
  if (digits.length < 2) return null;
  const after = rest.slice(m[0].length);
  const stated = /^\(\s*(\d+)/u.exec(after)?.[1];
  let cut = 1;
  if (stated !== undefined) {
    for (let i = 1; i < digits.length; i++)
      if (stated.startsWith(digits.slice(i)) && digits[i] !== '0') {
        cut = i;
        break;
      }
  }
  const feeDigits = (m[1] ?? '').slice(cut);
  return { time: digits.slice(0, cut), feeRest: feeDigits + rest.slice((m[1] ?? '').length) };
}

/** Reads the fee cell at the start of `s`: "Miễn phí(…)", "70,000 VNĐ(…)" or "Không có thông tin". */
function readFee(s: string): { fee: string; rest: string } {
  if (s.startsWith(NO_INFO)) return { fee: '', rest: s.slice(NO_INFO.length) };
  const head = s.startsWith('Miễn phí')
    ? 'Miễn phí'
    : (AMOUNT.exec(s)?.[0] ?? LABELLED_FEE.exec(s)?.[0] ?? '');
  if (head === '') return { fee: '', rest: s };
  const group = parenGroup(s.slice(head.length));
  const fee = group === '' ? head : `${head} ${group}`;
  return { fee: fee.replace(/\s+/g, ' ').trim(), rest: s.slice(head.length + group.length) };
}

/** A fee whose amount lost its thousands ("100 VNĐ"): a non-zero amount under 1,000 đồng. */
export function isSuspectFee(fee: string): boolean {
  const m = /^([\d.,]+) ?(?:Việt Nam Đồng|VNĐ|Đồng|đồng)/u.exec(fee);
  if (m === null) return false;
  const n = Number((m[1] ?? '').replace(/[.,]/g, ''));
  return n > 0 && n < 1000;
}

/** Finds a unit-bearing duration with the same number in `texts` ("5" → "05 ngày làm việc"). */
export function findDurationText(num: string, texts: string[]): string | null {
  const want = Number(num);
  for (const t of texts) {
    for (const m of t.matchAll(DURATION_TEXT)) if (Number(m[1]) === want) return m[0].replace(/\s+/g, ' ');
  }
  return null;
}

/**
 * Repairs the flattened "Cách thức thực hiện" table into rows. `steps` (the procedure's steps) is
 * searched for a unit-bearing duration when a time cell lost its unit ("Trực tiếp5").
 */
export function parseChannels(raw: string, steps = ''): { rows: ChannelRow[]; rest: string } {
  const body = raw.startsWith(HEADER) ? raw.slice(HEADER.length) : raw;
  const starts = [...body.matchAll(ROW_START)];
  if (starts.length === 0) return { rows: [], rest: raw.trim() };
  const lead = body.slice(0, starts[0]?.index ?? 0).trim();
  const rows: ChannelRow[] = [];
  starts.forEach((m, i) => {
    const from = (m.index ?? 0) + (m[1] ?? '').length;
    const to = starts[i + 1]?.index ?? body.length;
    rows.push(parseRow(m[1] ?? '', body.slice(from, to), steps));
  });
  return { rows, rest: lead };
}

function parseRow(channel: string, cell: string, steps: string): ChannelRow {
  let time: string;
  let rest = cell;
  let unitMissing = false;
  const withUnit = TIME_WITH_UNIT.exec(rest);
  const worded = WORDED_TIME.exec(rest);
  if (worded !== null) {
    time = worded[1] === 'Không quy định' ? 'Không quy định' : '';
    rest = rest.slice(worded[0].length);
  } else if (withUnit !== null) {
    time = withUnit[0];
    rest = rest.slice(withUnit[0].length);
  } else {
    const glued = splitGluedDigits(rest);
    const bare = glued === null ? (/^\d+(?:[.,]\d+)?/u.exec(rest)?.[0] ?? '') : glued.time;
    rest = glued === null ? rest.slice(bare.length) : glued.feeRest;
    time = bare;
    unitMissing = bare !== '';
  }
  const { fee, rest: afterFee } = readFee(rest);
  const description = afterFee.replace(/\s+/g, ' ').trim();
  const row: ChannelRow = { channel, time, fee, description };
  if (unitMissing) {
    const found = findDurationText(time, [description, steps]);
    if (found !== null) time = found;
    else row.timeUnitMissing = true;
    row.time = time;
  }
  if (isSuspectFee(fee)) row.feeSuspect = true;
  return row;
}
