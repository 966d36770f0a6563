import { describe, expect, it } from 'vitest';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { loadFile } from '../../src/ingest/registry.js';
import { DEFAULT_RETRIEVER, Retriever } from '../../src/retrieve/retriever.js';

/**
 * A citizen names a service in words its record does not use ("mua chiếc ghe máy cũ … sang tên"
 * for "đăng ký phương tiện … chuyển quyền sở hữu"). With the record's everyday names the search
 * finds it; without them, a record that shares the question's plain words comes first.
 */
const record = (code: string, name: string, names: string[] | undefined) => ({
  ma_thu_tuc: code,
  ten_thu_tuc: name,
  cap_thuc_hien: 'Cấp tỉnh',
  linh_vuc: 'Đường thủy nội địa',
  doi_tuong_thuc_hien: 'Công dân Việt Nam',
  trinh_tu_thuc_hien: 'Bước 1: Nộp hồ sơ tại cơ quan đăng ký phương tiện.\nBước 2: Nhận kết quả.',
  thanh_phan_ho_so: 'Tờ khai đăng ký phương tiện; giấy tờ của chủ phương tiện',
  ket_qua_xu_ly: 'Giấy chứng nhận đăng ký phương tiện',
  ...(names ? { ten_goi_thuong_dung: names } : {}),
});

const TRANSFER = '3.000921';
const FIRST = '3.000922';
const BOAT_TRIP = '3.000923';

async function snapshot(withNames: boolean): Promise<IndexSnapshot> {
  const records = [
    record(
      TRANSFER,
      'Đăng ký lại phương tiện trong trường hợp chuyển quyền sở hữu phương tiện',
      withNames ? ['mua lại ghe máy của người khác, muốn sang tên mình'] : undefined,
    ),
    record(
      FIRST,
      'Đăng ký phương tiện lần đầu',
      withNames ? ['đóng ghe mới xong, đi đăng ký lần đầu'] : undefined,
    ),
    record(BOAT_TRIP, 'Cấp giấy phép cho chiếc thuyền chở khách du lịch trên sông', undefined),
  ];
  const path = 'corpus/procedures/thu-nghiem-ten-goi.jsonl';
  const documents = await loadFile({
    path,
    bytes: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n')),
  });
  return IndexSnapshot.build(
    {
      sources: [{ path, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    { kind: 'none' },
  );
}

describe("a question in a citizen's own words", () => {
  const question = 'Tôi mua chiếc ghe máy cũ của ông hàng xóm, giờ muốn sang tên mình thì làm sao?';

  it('finds the procedure through its everyday name, which the name coverage also reads', async () => {
    const retriever = new Retriever(await snapshot(true), DEFAULT_RETRIEVER);
    const r = await retriever.retrieve(question, { k: 3 });
    expect(r.results[0]?.doc.id).toBe(TRANSFER);
    expect(r.results[0]?.nameShare).toBeGreaterThan(0.5);
  });

  it('without everyday names, the record sharing its plain words comes first', async () => {
    const retriever = new Retriever(await snapshot(false), DEFAULT_RETRIEVER);
    const r = await retriever.retrieve(question, { k: 3 });
    expect(r.results[0]?.doc.id).not.toBe(TRANSFER);
    expect(r.results.find((x) => x.doc.id === TRANSFER)?.nameShare ?? 0).toBeLessThan(0.3);
  });

  it('with the everyday names weighed at 0, the name coverage reads the legal name only', async () => {
    const retriever = new Retriever(await snapshot(true), {
      ...DEFAULT_RETRIEVER,
      nameCoverage: { ...DEFAULT_RETRIEVER.nameCoverage, everydayWeight: 0 },
    });
    const r = await retriever.retrieve(question, { k: 3 });
    expect(r.results.find((x) => x.doc.id === TRANSFER)?.nameShare ?? 0).toBeLessThan(0.3);
  });
});
