import { createHash } from 'node:crypto';
import type { Chunk, IngestedDocument } from '../../src/ingest/types.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A small hand-made document with one passage per body, for index tests that must not depend on loaders. */
export function makeDoc(
  id: string,
  title: string,
  bodies: string[],
  extra: Partial<IngestedDocument['meta']> = {},
): IngestedDocument {
  const chunks: Chunk[] = bodies.map((text, i) => ({
    id: `${id}#${i}`,
    docId: id,
    ordinal: i,
    text,
    heading: title,
    breadcrumb: [title],
    citation: `${title} · đoạn ${i + 1}`,
    contentHash: sha(title + text),
  }));
  return {
    meta: {
      id,
      kind: 'legal',
      title,
      status: 'con_hieu_luc',
      audience: 'public',
      source: `${id}.txt`,
      contentHash: sha(bodies.join('\n')),
      ...extra,
    },
    chunks,
  };
}

/** Six documents about different procedures, enough to tell rankings apart. */
export function sampleDocs(): IngestedDocument[] {
  return [
    makeDoc('khai-sinh', 'Đăng ký khai sinh', [
      'Người đi đăng ký khai sinh nộp tờ khai theo mẫu và giấy chứng sinh cho cơ quan đăng ký hộ tịch.',
      'Miễn lệ phí đăng ký khai sinh đúng hạn.',
    ]),
    makeDoc('ket-hon', 'Đăng ký kết hôn', [
      'Hai bên nam, nữ nộp tờ khai đăng ký kết hôn và cùng có mặt khi đăng ký kết hôn.',
    ]),
    makeDoc('khai-tu', 'Đăng ký khai tử', ['Người đi đăng ký khai tử nộp tờ khai và giấy báo tử.']),
    makeDoc('thuong-tru', 'Đăng ký thường trú', [
      'Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại chỗ ở hợp pháp đó.',
    ]),
    makeDoc('xay-dung', 'Cấp giấy phép xây dựng nhà ở riêng lẻ', [
      'Hồ sơ đề nghị cấp giấy phép xây dựng gồm đơn đề nghị và bản vẽ thiết kế.',
    ]),
    makeDoc('noi-bo', 'Quy chế nội bộ về tiếp nhận hồ sơ', ['Cán bộ tiếp nhận hồ sơ kiểm tra tính hợp lệ.'], {
      audience: 'internal',
    }),
  ];
}
