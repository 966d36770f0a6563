import cliProgress from 'cli-progress';
import type { BuildPhase, BuildProgress } from '../../src/index/manifest.js';

const LABEL: Record<BuildPhase, string> = {
  reading: 'Đọc tệp      ',
  lexical: 'Chỉ mục từ   ',
  restorer: 'Mô hình dấu  ',
  embedding: 'Nhúng vector ',
  publishing: 'Xuất bản     ',
};

/** A terminal progress bar per build phase (plain lines when stderr is not a terminal). */
export function buildProgressBar(): {
  onBuild: BuildProgress;
  onFile: (d: number, t: number, f: string) => void;
  onOcr: (d: number, t: number, f: string) => void;
  stop: () => void;
} {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let phase: string | null = null;
  let lastLine = 0;
  const show = (label: string, done: number, total: number, detail = '') => {
    if (!tty) {
      const now = Date.now();
      if (phase !== label || done === total || now - lastLine > 2000) {
        process.stderr.write(`${label.trim()}: ${done}/${total}${detail ? ` ${detail}` : ''}\n`);
        lastLine = now;
      }
      phase = label;
      return;
    }
    if (phase !== label) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% {value}/{total} {detail}`,
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, done, { detail });
      phase = label;
    }
    bar?.setTotal(total);
    bar?.update(done, { detail });
  };
  return {
    onBuild: (p, done, total) => show(LABEL[p], done, total),
    onFile: (done, total, file) =>
      show(LABEL.reading, done, total, file.length > 40 ? `…${file.slice(-39)}` : file),
    onOcr: (done, total, file) =>
      show('Nhận dạng OCR', done, total, `trang · ${file.length > 34 ? `…${file.slice(-33)}` : file}`),
    stop: () => {
      bar?.stop();
      bar = null;
      phase = null;
    },
  };
}
