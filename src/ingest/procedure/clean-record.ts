import { nfc } from '../../text/index.js';
import { field } from '../jsonl.js';
import type { ProcedureInfo } from '../types.js';
import { parseChannels } from './channels.js';
import { everydayNames, recordEverydayNames } from './everyday-names.js';
import { parseLegalBasis } from './legal-basis.js';
import { parsePapers } from './papers.js';
import { cleanResult } from './result.js';

/** NFC, tabs/non-breaking spaces to spaces, trailing spaces and runs of blank lines removed. */
export function tidy(text: string): string {
  return nfc(text)
    .replace(/[\t\u00a0\u200b]+/g, ' ')
    .replace(/[ ]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[ ]{2,}/g, ' ')
    .trim();
}

const BOILERPLATE =
  /Từ khóa(?=Không có thông tin|[^\n]{0,300}Mô tả)|Chọn cơ quan thực hiện(?:Tỉnh\/|[^\n]{0,40}--)/u;

/** Cuts the portal's page furniture glued to a field ("Từ khóa…Mô tả…", "Chọn cơ quan thực hiện…"); "Không có thông tin" → ''. */
export function stripBoilerplate(text: string): string {
  const cut = text.search(BOILERPLATE);
  const kept = (cut >= 0 ? text.slice(0, cut) : text).trim();
  return /^(không có thông tin|không có|không)\.?$/iu.test(kept) ? '' : kept;
}

/** Cleans one national procedure record into a typed `ProcedureInfo` (tables repaired, boilerplate dropped). */
export function cleanProcedureRecord(rec: Record<string, unknown>): ProcedureInfo {
  const get = (key: string): string => tidy(stripBoilerplate(field(rec, key)));
  const steps = get('trinh_tu_thuc_hien');
  const { rows, rest } = parseChannels(get('cach_thuc_thuc_hien'), steps);
  const papers = parsePapers(get('thanh_phan_ho_so'));
  const agencyParts = [
    ['Cơ quan thực hiện', get('co_quan_thuc_hien')],
    ['Cơ quan có thẩm quyền', get('co_quan_co_tham_quyen')],
    ['Cơ quan được ủy quyền', get('co_quan_duoc_uy_quyen')],
    ['Cơ quan phối hợp', get('co_quan_phoi_hop')],
    ['Địa chỉ tiếp nhận hồ sơ', get('dia_chi_tiep_nhan')],
  ].filter(([, v]) => v !== '');
  const seen = new Set<string>();
  const agencies = agencyParts
    .filter(([, v]) => (seen.has(v ?? '') ? false : (seen.add(v ?? ''), true)))
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const code = get('ma_thu_tuc');
  const names = everydayNames(code, recordEverydayNames(rec.ten_goi_thuong_dung));
  return {
    code,
    name: get('ten_thu_tuc'),
    domain: get('linh_vuc'),
    levels: get('cap_thuc_hien')
      .split(/[,;]/u)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    decision: get('so_quyet_dinh'),
    applicants: get('doi_tuong_thuc_hien'),
    agencies,
    steps,
    channels: rows.map((r) => ({ ...r, description: tidy(r.description) })),
    papers: papers.rows,
    papersText: papers.text,
    conditions: get('yeu_cau_dieu_kien'),
    legalBasis: parseLegalBasis(get('can_cu_phap_ly')),
    result: cleanResult(get('ket_qua_xu_ly')),
    ...(rest !== '' ? { channelsText: rest } : {}),
    ...(names.length > 0 ? { everydayNames: names } : {}),
  };
}
