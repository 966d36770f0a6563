import { describe, expect, it } from 'vitest';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { expandAbbreviations, learnAcronyms, LEXICON, withAcronyms } from '../../src/text/index.js';
import { makeDoc } from '../helpers/docs.js';

const NAMES = [
  'Đăng ký thành lập hợp tác xã',
  'Đăng ký thay đổi tên, địa chỉ trụ sở chính của hợp tác xã',
  'Giải thể tự nguyện hợp tác xã',
  'Khai thuế thu nhập cá nhân đối với cá nhân cho thuê tài sản',
  'Quyết toán thuế thu nhập cá nhân',
  'Khai thuế thu nhập cá nhân tháng/quý',
  'Thẩm duyệt thiết kế về phòng cháy, chữa cháy',
  'Kiểm tra nghiệm thu về phòng cháy, chữa cháy',
  'Cấp giấy chứng nhận huấn luyện nghiệp vụ phòng cháy, chữa cháy',
  'Phân cấp cho chủ tịch Ủy ban nhân dân cấp xã',
  'Phân cấp cho chủ tịch Ủy ban nhân dân cấp huyện',
  'Phân cấp cho chủ tịch Ủy ban nhân dân cấp tỉnh',
  'Cấp lại thẻ',
  'Cấp lại thẻ',
  'Cấp lại thẻ',
];

describe('acronyms learned from the names of a corpus', () => {
  const learned = learnAcronyms(NAMES);

  it.each([
    ['htx', 'hợp tác xã'],
    ['tncn', 'thu nhập cá nhân'],
    ['pccc', 'phòng cháy chữa cháy'],
  ])('the short form %s stands for %s', (short, long) => {
    expect(learned.get(short)).toBe(long);
  });

  it('a run that is mostly the start of a longer name is not a name ("phân cấp cho chủ" … tịch)', () => {
    expect(learned.get('pccc')).toBe('phòng cháy chữa cháy');
    expect([...learned.values()]).not.toContain('phân cấp cho chủ');
  });

  it('a short form that could be a Vietnamese syllable is a word, not a short form', () => {
    // "clt" (cấp lại thẻ) is three consonants; "cap" would be a syllable and is never learned.
    expect(learned.get('clt')).toBe('cấp lại thẻ');
    const syllableShaped = learnAcronyms(Array(5).fill('cấp an ninh'));
    expect(syllableShaped.get('can')).toBeUndefined();
  });

  it('a run seen in fewer names than the floor, or sharing its initials with as common runs, is not learned', () => {
    expect(learnAcronyms(['hợp tác xã', 'hợp tác xã']).get('htx')).toBeUndefined();
    const ambiguous = learnAcronyms([...Array(3).fill('hợp tác xã'), ...Array(3).fill('hộ tịch xác')]);
    expect(ambiguous.get('htx')).toBeUndefined();
  });

  it('two-letter short forms are left to the curated lexicon (chat spellings such as "vk" for vợ)', () => {
    expect(learnAcronyms(Array(5).fill('vũ khí quân dụng')).get('vk')).toBeUndefined();
  });

  it('a question typed with a learned short form is expanded; curated short forms keep their meaning', () => {
    const lexicon = withAcronyms(new Map([...learned, ['gplx', 'giấy phép lao xe']]));
    expect(expandAbbreviations('HTX em muốn giải thể', lexicon)).toBe('htx hợp tác xã em muốn giải thể');
    expect(expandAbbreviations('quyet toan thue TNCN', lexicon)).toBe(
      'quyet toan thue tncn thu nhập cá nhân',
    );
    expect(expandAbbreviations('đổi GPLX', lexicon)).toBe('đổi gplx giấy phép lái xe');
    expect(expandAbbreviations('HTX em muốn giải thể', LEXICON)).toBe('htx em muốn giải thể');
  });

  it('a citizen who writes HTX finds the cooperative procedure of the corpus', async () => {
    const docs = NAMES.slice(0, 6).map((name, i) =>
      makeDoc(`2.00000${i}`, name, [`${name}: hồ sơ gồm đơn đề nghị.`], { kind: 'procedure' }),
    );
    docs.push(
      makeDoc('9.000009', 'Đăng ký hộ tịch', ['Hồ sơ đăng ký hộ tịch gồm tờ khai.'], { kind: 'procedure' }),
    );
    const snapshot = await IndexSnapshot.build(
      { sources: [], documents: docs, parent: null },
      { kind: 'none' },
    );
    const result = await new Retriever(snapshot).retrieve('giai the HTX thi nop gi', { k: 3 });
    expect(result.results[0]!.doc.title).toBe('Giải thể tự nguyện hợp tác xã');
  });
});
