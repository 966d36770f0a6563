import { randomBytes } from 'node:crypto';

/** A passage handed to the model, numbered as it may be cited ([n]). */
export interface FencedPassage {
  n: number;
  label: string;
  text: string;
}

/** One earlier turn of the conversation. */
export interface HistoryTurn {
  role: 'user' | 'assistant';
  text: string;
}

const NONCE = /^[0-9a-z]{4,64}$/i;

/** A fresh per-request nonce (12 hex characters) that passage text cannot guess. */
export function newNonce(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Wraps each passage between `<<<ĐOẠN [n] id=<nonce> | label>>>` and `<<<HẾT ĐOẠN [n] id=<nonce>>>>`
 * lines; the nonce is random per call (default) and runs of angle brackets inside the text are
 * neutralised, so a passage cannot close its own fence or open a new one.
 */
export function fencePassages(passages: readonly FencedPassage[], options: { nonce?: string } = {}): string {
  const nonce = checkedNonce(options.nonce);
  return passages
    .map((p) => {
      const label = oneLine(neutralise(p.label));
      return [
        `<<<ĐOẠN [${p.n}] id=${nonce} | ${label}>>>`,
        neutralise(p.text).trim(),
        `<<<HẾT ĐOẠN [${p.n}] id=${nonce}>>>`,
      ].join('\n');
    })
    .join('\n\n');
}

/** Wraps the conversation history (oldest first) in one nonce-fenced block, one "Người dùng:/Trợ lý:" line per turn. */
export function fenceHistory(turns: readonly HistoryTurn[], options: { nonce?: string } = {}): string {
  const nonce = checkedNonce(options.nonce);
  const lines = turns.map(
    (t) => `${t.role === 'user' ? 'Người dùng' : 'Trợ lý'}: ${oneLine(neutralise(t.text))}`,
  );
  return [`<<<HỘI THOẠI id=${nonce}>>>`, ...lines, `<<<HẾT HỘI THOẠI id=${nonce}>>>`].join('\n');
}

/** Replaces every run of three or more angle brackets (ASCII or full-width) so it cannot form a fence line. */
export function neutralise(text: string): string {
  return text
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[<\uFF1C\uFE64]{3,}/g, (run) => '‹'.repeat(run.length))
    .replace(/[>\uFF1E\uFE65]{3,}/g, (run) => '›'.repeat(run.length));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function checkedNonce(nonce: string | undefined): string {
  if (nonce === undefined) return newNonce();
  if (!NONCE.test(nonce)) throw new RangeError('nonce must be 4–64 letters or digits');
  return nonce;
}
