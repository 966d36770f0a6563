import { describe, expect, it } from 'vitest';
import { framesOf, TYPED_VARIANTS, typedVariants } from '../../scripts/lib/typed.js';

describe('questions asked as people also type them (eval:answers --typed)', () => {
  const q = 'Đăng ký kết hôn cần giấy tờ gì, mất bao nhiêu ngày?';

  it('replaces whole Vietnamese words only: "gì" becomes "j" but "giấy" stays', () => {
    expect(TYPED_VARIANTS.teencode!(q)).toBe('Đăng ký kết hôn cần giấy tờ j, mất bn ngày?');
    expect(TYPED_VARIANTS['i-for-y']!(q)).toBe('Đăng kí kết hôn cần giấy tờ gì, mất bao nhiêu ngày?');
  });

  it('makes the same typos in the same question every run, and only in words of four letters or more', () => {
    const once = TYPED_VARIANTS['one-typo']!(q);
    expect(TYPED_VARIANTS['one-typo']!(q)).toBe(once);
    expect(once).not.toBe(q);
    const changed = q.split(' ').filter((w, i) => w !== once.split(' ')[i]);
    expect(changed).toHaveLength(1);
    expect([...changed[0]!].length).toBeGreaterThanOrEqual(4);
    expect(TYPED_VARIANTS['two-typos']!(q)).not.toBe(once);
  });

  it('types the whole question without diacritics, with or without one typo', () => {
    expect(TYPED_VARIANTS['without-diacritics']!(q)).toBe(
      'Dang ky ket hon can giay to gi, mat bao nhieu ngay?',
    );
    const typo = TYPED_VARIANTS['without-diacritics-typo']!(q);
    expect(typo).toBe(TYPED_VARIANTS['without-diacritics']!(TYPED_VARIANTS['one-typo']!(q)));
    expect(typo).not.toBe(TYPED_VARIANTS['without-diacritics']!(q));
  });

  it('frames the question as a letter or a chat around it', () => {
    expect(TYPED_VARIANTS['letter-salutation']!(q)).toBe(
      `Kính gửi Trung tâm Phục vụ hành chính công tỉnh,\n${q}`,
    );
    expect(TYPED_VARIANTS['opener-cho-em-hoi']!(q)).toBe(`cho em hỏi ${q}`);
  });

  it('names the variants of a --typed value, and refuses an unknown one naming the known', () => {
    expect(typedVariants('all').map(([n]) => n)).toEqual(Object.keys(TYPED_VARIANTS));
    expect(typedVariants('teencode, capitals').map(([n]) => n)).toEqual(['teencode', 'capitals']);
    expect(() => typedVariants('typos')).toThrow(/unknown variant "typos"; known: all, as-written/u);
  });

  it('reads a file of frames: the question where "{q}" is, "\\n" a line break, comments skipped', () => {
    const frames = framesOf('# letters\nKính gửi quý cơ quan,\\n{q}\n\nalo ad oi {q} thanks ad\n', 'f.txt');
    expect(frames.map(([n]) => n)).toEqual(['frame-2', 'frame-4']);
    expect(frames[0]![1]('Lệ phí bao nhiêu?')).toBe('Kính gửi quý cơ quan,\nLệ phí bao nhiêu?');
    expect(frames[1]![1]('le phi bao nhieu')).toBe('alo ad oi le phi bao nhieu thanks ad');
  });

  it('refuses a frame without its question, naming the file and the line', () => {
    expect(() => framesOf('Kính gửi {q}\nCảm ơn ạ\n', 'frames.txt')).toThrow(
      /frames.txt, line 2: .*"\{q\}"/u,
    );
    expect(() => framesOf('# only a comment\n', 'frames.txt')).toThrow(/frames.txt: no frame/u);
  });
});
