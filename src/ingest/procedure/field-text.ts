import { PROCEDURE_FIELDS } from '../../text/index.js';
import type { ChannelRow, ProcedureField, ProcedureInfo } from '../types.js';

/** Vietnamese label of each procedure field, as used in citations. */
export const FIELD_LABELS: Record<ProcedureField, string> = {
  general: 'Thông tin chung',
  trinh_tu: 'Trình tự thực hiện',
  cach_thuc: 'Cách thức thực hiện',
  phi: 'Phí, lệ phí',
  thoi_han: 'Thời hạn giải quyết',
  ho_so: 'Thành phần hồ sơ',
  dieu_kien: 'Điều kiện',
  can_cu: 'Căn cứ pháp lý',
  ket_qua: 'Kết quả',
  co_quan: 'Cơ quan thực hiện',
  doi_tuong: 'Đối tượng thực hiện',
};

/** Field order of a procedure's chunks. */
export const FIELD_ORDER: readonly ProcedureField[] = PROCEDURE_FIELDS;

/** The fee as it may be shown: a truncated amount ("20 VNĐ") yields to the wording in brackets. */
export function displayFee(row: ChannelRow): string {
  if (row.fee === '') return '';
  if (row.feeSuspect !== true) return row.fee;
  const bracket = /\((.*)\)\s*$/su.exec(row.fee)?.[1]?.trim();
  const amount = row.fee.replace(/\s*\(.*$/su, '');
  if (bracket !== undefined && /\d/u.test(bracket)) return `${bracket} (cổng dịch vụ công ghi "${amount}")`;
  return `cổng dịch vụ công ghi "${amount}", số tiền có thể bị thiếu chữ số — cần đối chiếu văn bản quy định mức thu`;
}

/** The time as it may be shown: a number that lost its unit is marked as such. */
export function displayTime(row: ChannelRow): string {
  if (row.time === '') return '';
  return row.timeUnitMissing === true ? `${row.time} (cổng dịch vụ công không ghi đơn vị)` : row.time;
}

/** Groups channels with the same value: "Trực tiếp, Trực tuyến: 5 Ngày làm việc". */
function grouped(rows: ChannelRow[], value: (r: ChannelRow) => string): string[] {
  const byValue = new Map<string, string[]>();
  for (const r of rows) {
    const v = value(r);
    if (v === '') continue;
    const list = byValue.get(v) ?? [];
    if (!list.includes(r.channel)) list.push(r.channel);
    byValue.set(v, list);
  }
  return [...byValue].map(([v, chans]) => `- ${chans.join(', ')}: ${v}`);
}

function uniqueDescriptions(rows: ChannelRow[]): string[] {
  return [...new Set(rows.map((r) => r.description).filter((d) => d !== ''))];
}

/** Body text of one field (without its label), '' when the record has nothing for it. */
export function fieldBody(info: ProcedureInfo, f: ProcedureField, extra: { type: string }): string {
  const rows = info.channels;
  switch (f) {
    case 'general':
      return generalBody(info, extra.type);
    case 'trinh_tu':
      return info.steps;
    case 'cach_thuc': {
      const lines = rows.map((r) => {
        const parts = [
          displayTime(r) && `thời hạn ${displayTime(r)}`,
          displayFee(r) && `phí, lệ phí: ${displayFee(r)}`,
        ];
        return `- ${r.channel}${parts.some(Boolean) ? `: ${parts.filter(Boolean).join('; ')}` : ''}`;
      });
      return [...lines, ...uniqueDescriptions(rows), info.channelsText ?? ''].filter(Boolean).join('\n');
    }
    case 'phi':
      return grouped(rows, displayFee).join('\n');
    case 'thoi_han': {
      const times = grouped(rows, displayTime);
      const notes = uniqueDescriptions(rows).filter((d) => /\b(ngày|giờ|tháng|thời hạn)\b/iu.test(d));
      return times.length === 0 && notes.length === 0 ? '' : [...times, ...notes].join('\n');
    }
    case 'ho_so':
      return info.papersText;
    case 'dieu_kien':
      return info.conditions;
    case 'can_cu':
      return info.legalBasis;
    case 'ket_qua':
      return info.result;
    case 'co_quan':
      return info.agencies;
    case 'doi_tuong':
      return info.applicants;
  }
}

/** The first line of a procedure's agencies ("Cơ quan thực hiện: Ủy ban nhân dân cấp xã"), '' for none. */
export function firstAgency(info: ProcedureInfo): string {
  return info.agencies.split('\n')[0] ?? '';
}

function generalBody(info: ProcedureInfo, type: string): string {
  const channels = [...new Set(info.channels.map((r) => r.channel))].join(', ');
  const time = grouped(info.channels, displayTime)[0]?.replace(/^- /u, '') ?? '';
  const fee = grouped(info.channels, displayFee)[0]?.replace(/^- /u, '') ?? '';
  const result = (info.result.split('\n')[0] ?? '').slice(0, 300);
  return [
    `Tên thủ tục: ${info.name}`,
    `Mã thủ tục: ${info.code}`,
    info.domain && `Lĩnh vực: ${info.domain}`,
    info.levels.length > 0 && `Cấp thực hiện: ${info.levels.join(', ')}`,
    type && `Loại thủ tục: ${type}`,
    info.applicants && `Đối tượng thực hiện: ${info.applicants.slice(0, 300)}`,
    firstAgency(info),
    channels && `Cách thức nộp: ${channels}`,
    time && `Thời hạn: ${time}`,
    fee && `Phí, lệ phí: ${fee.slice(0, 300)}`,
    result && `Kết quả: ${result}`,
    info.decision && `Quyết định công bố: ${info.decision}`,
  ]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .join('\n');
}
