import { describe, expect, it } from 'vitest';
import { TYPED_VARIANTS, typedVariants } from '../../scripts/lib/typed.js';

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
});
