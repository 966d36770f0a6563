/**
 * Recognises personal data (DESIGN §7, Nghị định 13/2023/NĐ-CP): CCCD (12 digits) and CMND (9
 * digits) numbers, Vietnamese phone numbers and e-mail addresses, masked before text is logged or
 * stored. Procedure codes ("1.001193"), document numbers ("123/2015/NĐ-CP"), dates, amounts of
 * money and identifiers with letters on both sides ("20261203T142450087Z") stay readable.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** +84 / 84 / 0 followed by 9–10 digits, optionally grouped by spaces, dots or dashes. */
const PHONE = /(?<![\p{L}\p{N}./])(?:\+84|84|0)(?:[ .-]?\d){8,10}(?![\p{N}/]|\.\d)/gu;
/** Runs of 9 or 12 digits (CMND, CCCD), not inside longer numbers, codes or amounts. */
const ID_NUMBER = /(?<![\p{N}.,/])(\d{12}|\d{9})(?![\p{N}/]|[.,]\d)/gu;
const LETTER = /\p{L}/u;

/** Returns the text with CCCD/CMND numbers, phone numbers and e-mail addresses replaced by placeholders. */
export function maskPii(text: string): string {
  // Most messages hold neither an "@" nor a digit: the regular expressions would scan them for nothing.
  const email = text.includes('@');
  if (!email && !/\d/u.test(text)) return text;
  return (email ? text.replace(EMAIL, '[email]') : text)
    .replace(PHONE, '[SĐT]')
    .replace(ID_NUMBER, (d, _g: string, at: number, all: string) =>
      // Letters on both sides make it part of an identifier (a snapshot id, a serial number), not a person's number.
      LETTER.test(all[at - 1] ?? '') && LETTER.test(all[at + d.length] ?? '')
        ? d
        : d.length === 12
          ? '[CCCD]'
          : '[CMND]',
    );
}
