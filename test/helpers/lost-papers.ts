import { IndexSnapshot } from '../../src/index/snapshot.js';
import { loadFile } from '../../src/ingest/registry.js';

/** Procedure records as the portal publishes them: two "cấp lại … do bị mất" services of different fields, and a third. */
const record = (code: string, name: string, domain: string, office: string) => ({
  ma_thu_tuc: code,
  ten_thu_tuc: name,
  cap_thuc_hien: 'Cấp tỉnh',
  linh_vuc: domain,
  doi_tuong_thuc_hien: 'Công dân Việt Nam',
  co_quan_thuc_hien: office,
  trinh_tu_thuc_hien: `Bước 1: Người bị mất nộp hồ sơ đề nghị cấp lại tại ${office}.\nBước 2: ${office} cấp lại.`,
  cach_thuc_thuc_hien: 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp10 Ngày làm việcKhông có thông tin',
  thanh_phan_ho_so: 'Đơn đề nghị cấp lại do bị mất',
  can_cu_phap_ly: 'Văn bản thử nghiệm số 1/2026/TT-TN',
  yeu_cau_dieu_kien: 'Không có thông tin',
  ket_qua_xu_ly: 'Bản cấp lại',
});

/** The land certificate, the driving licence (both "cấp lại … do bị mất") and marriage registration. */
export const LOST_PAPERS = {
  land: '3.000901',
  licence: '3.000902',
  marriage: '3.000903',
} as const;

const RECORDS = [
  record(
    LOST_PAPERS.land,
    'Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất',
    'Đất đai',
    'Văn phòng đăng ký đất đai',
  ),
  record(
    LOST_PAPERS.licence,
    'Cấp lại giấy phép lái xe do bị mất',
    'Sát hạch, cấp giấy phép lái xe',
    'Sở Xây dựng',
  ),
  record(LOST_PAPERS.marriage, 'Đăng ký kết hôn', 'Hộ tịch', 'Ủy ban nhân dân cấp xã'),
];

/** The three records indexed lexically (no vector side), as a re-index would build them. */
export async function lostPapersSnapshot(): Promise<IndexSnapshot> {
  const path = 'corpus/procedures/thu-nghiem.jsonl';
  const bytes = Buffer.from(RECORDS.map((r) => JSON.stringify(r)).join('\n'));
  const documents = await loadFile({ path, bytes });
  return IndexSnapshot.build(
    {
      sources: [{ path, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    { kind: 'none' },
  );
}
