import { describe, expect, it } from 'vitest';
import type { Answer } from '../../../src/answer/types.js';
import { renderZalo, splitMessage, ZALO_TEXT_LIMIT } from '../../../src/channels/zalo/render.js';

function answer(over: Partial<Answer>): Answer {
  return {
    conversationId: 'c1',
    answer: 'Lệ phí đăng ký khai sinh: miễn lệ phí [1].',
    citations: [
      {
        n: 1,
        label: 'Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí',
        url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193',
        sourceId: '1.001193',
        chunkId: 'c',
      },
    ],
    grounded: true,
    outcome: 'grounded',
    intent: 'procedure',
    confidence: 0.9,
    followUps: ['Cần chuẩn bị hồ sơ gì?', 'Nộp ở đâu?'],
    alternatives: [],
    mode: 'extractive',
    ...over,
  };
}

describe('Zalo messages', () => {
  it('a short answer is one plain-text message with its source as a label and link, and numbered follow-ups', () => {
    const [only, ...rest] = renderZalo(answer({}));
    expect(rest).toEqual([]);
    expect(only).toContain('miễn lệ phí [1]');
    expect(only).toContain(
      'Nguồn:\n[1] Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí\nhttps://dichvucong.gov.vn/',
    );
    expect(only).toMatch(/trả lời bằng số để chọn\):\n1\. Cần chuẩn bị hồ sơ gì\?\n2\. Nộp ở đâu\?$/u);
    expect(only).not.toMatch(/<[a-z]|\*\*|\|/u);
  });

  it.each(['out_of_scope', 'rejection'] as const)(
    'a declined answer (%s) does not number its suggestions twice',
    (intent) => {
      const parts = renderZalo(
        answer({
          outcome: 'declined',
          grounded: false,
          intent,
          citations: [],
          answer: 'Xin lỗi…\n1. Đăng ký khai sinh',
          followUps: ['Đăng ký khai sinh'],
        }),
      );
      expect(parts.join('\n')).not.toContain('trả lời bằng số');
    },
  );

  it('a procedure found without the detail asked still offers its numbered follow-ups', () => {
    const parts = renderZalo(
      answer({
        outcome: 'declined',
        grounded: false,
        intent: 'procedure',
        answer: 'Hồ sơ thủ tục “Công bố mở tuyến” trên Cổng dịch vụ công không ghi thành phần hồ sơ.',
        followUps: ['Bao lâu thì có kết quả?'],
      }),
    );
    expect(parts.join('\n')).toContain(
      'Bạn có thể hỏi tiếp (trả lời bằng số để chọn):\n1. Bao lâu thì có kết quả?',
    );
  });

  it('a long answer is split on paragraph and list boundaries, every message within 2,000 characters', () => {
    const items = Array.from(
      { length: 60 },
      (_, i) =>
        `- Giấy tờ số ${i + 1}: bản sao có chứng thực hoặc bản chính để đối chiếu của giấy tờ tùy thân.`,
    );
    const text = `Thành phần hồ sơ gồm:\n${items.join('\n')}\n\nSố lượng hồ sơ: 01 bộ.`;
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect([...p].length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    // Each message ends at the end of a list item: no item is cut in two.
    for (const p of parts) expect(p).toMatch(/(để đối chiếu của giấy tờ tùy thân\.|01 bộ\.)$/u);
    expect(parts.join('\n').replace(/\n+/gu, '\n')).toBe(text.replace(/\n+/gu, '\n'));
  });

  it('a single paragraph longer than the limit is split between sentences', () => {
    const sentence =
      'Cơ quan thực hiện tiếp nhận hồ sơ và trả kết quả trong thời hạn giải quyết đã công bố. ';
    const parts = splitMessage(sentence.repeat(50).trim(), 500, 100);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(p.endsWith('công bố.')).toBe(true);
    }
  });

  it('text without any boundary is cut on characters, never inside an emoji', () => {
    const parts = splitMessage('😀'.repeat(30), 7, 100);
    expect(parts.every((p) => [...p].every((c) => c === '😀'))).toBe(true);
    expect(parts.join('')).toBe('😀'.repeat(30));
  });

  it('an answer too long for four messages ends with a note that it was shortened', () => {
    const parts = splitMessage(Array.from({ length: 40 }, () => 'x'.repeat(300)).join('\n\n'), 2000, 4);
    expect(parts).toHaveLength(4);
    expect(parts[3]).toContain('Nội dung còn dài');
    expect(parts[3]!.length).toBeLessThanOrEqual(2000);
    const emoji = splitMessage('😀'.repeat(5000), 2000, 2);
    expect([...emoji[1]!].length).toBeLessThanOrEqual(2000);
    expect(emoji[1]).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u);
  });
});
