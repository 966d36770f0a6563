/**
 * npm run accounts -- add <username> --role administrator|editor|reader
 * npm run accounts -- list
 * npm run accounts -- disable <username>   (also: enable <username>)
 * npm run accounts -- reset-password <username>
 * npm run accounts -- set-role <username> --role reader
 * Officer accounts of the admin page, in DATA_DIR/assistant.db. A password is never taken from the
 * command line (it would stay in the shell history and the process list): it is asked for twice
 * without echo on a terminal, or read as the first line of standard input
 * (`printf '%s\n' "$PASSWORD" | npm run accounts -- add an.nguyen --role editor`).
 */
import { createInterface } from 'node:readline';
import { AccountAdmin } from '../src/admin/auth/accounts.js';
import { ROLE_LABELS } from '../src/admin/auth/roles.js';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/index.js';
import { parseArgs } from './lib/args.js';
import { runCommand } from './lib/run.js';

/** One line typed without echo. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of standard input (a pipe or a file). */
async function firstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return firstLine();
  const first = await askHidden('Mật khẩu mới: ');
  const again = await askHidden('Nhập lại mật khẩu: ');
  if (first !== again) throw new Error('the two passwords differ');
  return first;
}

async function main(): Promise<number> {
  const { positional, flags } = parseArgs(process.argv.slice(2), ['role']);
  const [command, username] = positional;
  const role = typeof flags.get('role') === 'string' ? (flags.get('role') as string) : undefined;
  const config = loadConfig();
  const store = await openStore(config.dataDir);
  const admin = new AccountAdmin(store.accounts);
  const needName = () => {
    if (!username) throw new Error(`usage: npm run accounts -- ${command} <username>`);
    return username;
  };
  try {
    if (command === 'list' || command === undefined) {
      const rows = await admin.list();
      if (rows.length === 0) console.log(`no account in ${config.dataDir}`);
      for (const a of rows) {
        console.log(
          `${a.username.padEnd(24)} ${a.role.padEnd(13)} ${a.disabled ? 'disabled' : 'active  '}  last sign-in ${a.lastLoginAt ?? 'never'}`,
        );
      }
    } else if (command === 'add') {
      const name = needName();
      const first = (await admin.list()).length === 0;
      const a = await admin.add(name, role, await readPassword());
      console.log(`added ${a.username} (${a.role}, ${ROLE_LABELS[a.role]})`);
      if (first && !config.adminToken)
        console.log('first account: restart the server to turn the admin page on');
    } else if (command === 'disable') {
      console.log(`disabled ${needName()}; ${await admin.disable(needName())} session(s) ended`);
    } else if (command === 'enable') {
      await admin.enable(needName());
      console.log(`enabled ${needName()}`);
    } else if (command === 'reset-password') {
      const ended = await admin.resetPassword(needName(), await readPassword());
      console.log(`new password set for ${needName()}; ${ended} session(s) ended`);
    } else if (command === 'set-role') {
      await admin.setRole(needName(), role);
      console.log(`${needName()} is now ${role}`);
    } else {
      throw new Error(
        `unknown command "${command}": use add, list, disable, enable, reset-password or set-role`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

runCommand('accounts', main);
