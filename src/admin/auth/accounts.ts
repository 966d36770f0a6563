import { AppError } from '../../errors.js';
import { ROLES, type AccountRow, type AccountStore, type Role } from '../../store/index.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { normalizeUsername, USERNAME_PATTERN } from './sessions.js';

/** A username as stored, or `bad_request` saying what is allowed. */
export function checkUsername(raw: string): string {
  const name = normalizeUsername(raw);
  if (!USERNAME_PATTERN.test(name) || name === 'token' || name === 'system' || name === 'cli') {
    throw new AppError(
      'bad_request',
      `username "${raw}": 2 to 64 letters, digits, dot, dash, underscore or @ (not token, system or cli)`,
    );
  }
  return name;
}

export function checkRole(raw: string | undefined): Role {
  if (!ROLES.includes(raw as Role)) throw new AppError('bad_request', `role: one of ${ROLES.join(', ')}`);
  return raw as Role;
}

export function checkPassword(password: string): string {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new AppError('bad_request', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw new AppError('bad_request', 'password: at most 1024 characters');
  return password;
}

/** The account commands (`npm run accounts`), over an AccountStore; each returns what it changed. */
export class AccountAdmin {
  constructor(
    private readonly accounts: AccountStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(username: string, role: string | undefined, password: string): Promise<AccountRow> {
    const name = checkUsername(username);
    const r = checkRole(role);
    const hash = await hashPassword(checkPassword(password));
    await this.accounts.createAccount({
      username: name,
      role: r,
      passwordHash: hash,
      now: this.now().toISOString(),
    });
    return (await this.accounts.getAccount(name))!;
  }

  list(): Promise<AccountRow[]> {
    return this.accounts.listAccounts();
  }

  /** Disables the account and ends its sessions; returns how many sessions ended. */
  async disable(username: string): Promise<number> {
    const name = await this.existing(username);
    await this.accounts.updateAccount(name, { disabled: true }, this.now().toISOString());
    return this.accounts.deleteSessionsOf(name);
  }

  async enable(username: string): Promise<void> {
    const name = await this.existing(username);
    await this.accounts.updateAccount(name, { disabled: false }, this.now().toISOString());
  }

  /** Sets a new password and ends the account's sessions; returns how many sessions ended. */
  async resetPassword(username: string, password: string): Promise<number> {
    const name = await this.existing(username);
    const hash = await hashPassword(checkPassword(password));
    await this.accounts.updateAccount(name, { passwordHash: hash }, this.now().toISOString());
    return this.accounts.deleteSessionsOf(name);
  }

  async setRole(username: string, role: string | undefined): Promise<void> {
    const name = await this.existing(username);
    await this.accounts.updateAccount(name, { role: checkRole(role) }, this.now().toISOString());
  }

  private async existing(username: string): Promise<string> {
    const name = normalizeUsername(username);
    if (!(await this.accounts.getAccount(name)))
      throw new AppError('not_found', `no account ${name} (see npm run accounts -- list)`);
    return name;
  }
}
