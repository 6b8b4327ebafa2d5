/**
 * `startrail accounts create --name NAME [--email E]` and `startrail accounts list` (README "Many
 * accounts"; docs/organizations.md#cli). `create` makes a member account of the configured account's
 * organization when it has one — with the OrganizationAccountAccessRole trusting the management
 * account, under the root, as Organizations' CreateAccount makes it — else a standalone account, and
 * writes the new account's root access key as the profile NAME of `<data-dir>/credentials` (mode
 * 0600), beside the `default` profile `startrail serve` writes there. Both work on the store directly,
 * like `startrail import`: safe while a server runs (SQLite WAL, PostgreSQL transactions).
 */
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { EmailTakenError, ensureAccount, provisionAccount } from '../accounts/provision.ts';
import { loadConfig } from '../config.ts';
import { randomIds } from '../ids.ts';
import { openStore } from '../store/open.ts';

interface StoreFlags {
  dataDir?: string;
  databaseUrl?: string;
}

/** A profile name the shared-credentials file can hold, which is also a valid account name (CreateAccount's pattern). */
const PROFILE = /^[A-Za-z0-9._+=,@-]{1,50}$/;

/** Whether the credentials file already has a `[name]` profile. */
function hasProfile(file: string, name: string): boolean {
  if (!existsSync(file)) return false;
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .some((line) => line.trim() === `[${name}]`);
}

function fail(message: string): void {
  process.stderr.write(`startrail accounts: ${message}\n`);
  process.exitCode = 1;
}

export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('the accounts this server holds (docs/accounts.md)');
  accounts
    .command('create')
    .description("create an account (a member of the configured account's organization, if any) and write its root key as a profile")
    .requiredOption('--name <name>', 'account name, also the profile name in <data-dir>/credentials')
    .option('--email <email>', "the root user's email address (default root+<account id>@startrail.invalid)")
    .option('--data-dir <dir>', 'data directory (STARTRAIL_DATA_DIR, ./.startrail)')
    .option('--database-url <url>', 'database (STARTRAIL_DATABASE_URL; unset = SQLite in the data dir)')
    .action(async (opts: StoreFlags & { name: string; email?: string }) => {
      if (!PROFILE.test(opts.name)) return fail(`--name must be 1 to 50 letters, digits or ._+=,@- (it names the profile): ${JSON.stringify(opts.name)}`);
      if (opts.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(opts.email)) return fail(`--email is not an email address: ${opts.email}`);
      const config = loadConfig(opts, process.env);
      const file = resolvePath(config.dataDir, 'credentials');
      if (hasProfile(file, opts.name)) return fail(`${file} already has a profile [${opts.name}]`);
      const store = await openStore(config);
      try {
        const now = new Date();
        await ensureAccount(store, config.accountId, now);
        const made = await store.transaction(async (tx) => {
          const org = await tx.organizations.ofAccount(config.accountId);
          let accountId = randomIds.accountId();
          while (await tx.accounts.get(accountId)) accountId = randomIds.accountId();
          const p = await provisionAccount(tx, randomIds, {
            accountId,
            name: opts.name,
            email: opts.email ?? `root+${accountId}@startrail.invalid`,
            ...(org ? { managementAccountId: org.org.managementAccountId } : {}),
            now,
          });
          if (org) await tx.organizations.addMember({ accountId, orgId: org.org.id, parentId: org.org.rootId, joinedMethod: 'CREATED', joinedAt: now });
          return { ...p, orgId: org?.org.id };
        });
        const profile = `[${opts.name}]\naws_access_key_id = ${made.rootKey.accessKeyId}\naws_secret_access_key = ${made.rootKey.secretAccessKey}\n`;
        if (existsSync(file)) {
          const text = readFileSync(file, 'utf8');
          appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${profile}`);
        } else writeFileSync(file, profile, { mode: 0o600 });
        chmodSync(file, 0o600);
        process.stdout.write(
          `created account ${made.account.accountId} (${made.account.name}, ${made.account.email})${made.orgId ? ` in organization ${made.orgId}` : ''}; root key in profile [${opts.name}] of ${file}\n`,
        );
      } catch (e) {
        if (e instanceof EmailTakenError) return fail(`another account has the email address ${e.email}`);
        throw e;
      } finally {
        await store.close();
      }
    });
  accounts
    .command('list')
    .description('print the accounts: id, name, email, status')
    .option('--data-dir <dir>', 'data directory (STARTRAIL_DATA_DIR, ./.startrail)')
    .option('--database-url <url>', 'database (STARTRAIL_DATABASE_URL; unset = SQLite in the data dir)')
    .action(async (opts: StoreFlags) => {
      const config = loadConfig(opts, process.env);
      const store = await openStore(config);
      try {
        await ensureAccount(store, config.accountId, new Date());
        const rows = (await store.accounts.list()).map((a) => [a.accountId, a.name, a.email, a.status]);
        const all = [['ID', 'NAME', 'EMAIL', 'STATUS'], ...rows];
        const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
        for (const r of all) process.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
      } finally {
        await store.close();
      }
    });
}
