/**
 * npm run backup [-- --out <dir>]
 * Copies DATA_DIR into <dir>/tlcv-backup-<time>/ (default <dir>: ./backups): an online copy of the
 * SQLite database (safe while the server runs), the snapshot in service, the uploaded files and
 * library.json; then opens the copied database to check it and prints the sizes.
 */
import path from 'node:path';
import { backupDataDir } from '../src/admin/backup.js';
import { loadConfig } from '../src/config.js';
import { parseArgs } from './lib/args.js';
import { runCommand } from './lib/run.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2), ['out']);
  const out = typeof flags.get('out') === 'string' ? (flags.get('out') as string) : 'backups';
  const config = loadConfig();
  const report = await backupDataDir({ dataDir: config.dataDir, outDir: path.resolve(out) });
  console.log(`backup of ${config.dataDir} in ${report.dir}`);
  for (const p of report.parts) console.log(`  ${p.name.padEnd(40)} ${mb(p.bytes)}`);
  if (report.database) {
    const rows = Object.entries(report.database.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    console.log(
      `database check: ${report.database.integrity}, schema version ${report.database.schemaVersion}; ${rows}`,
    );
  } else console.log('no database yet in DATA_DIR');
  console.log(`total ${mb(report.totalBytes)}`);
  return 0;
}

runCommand('backup', main);
