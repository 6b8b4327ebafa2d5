/**
 * `startrail rotate-signing-key --region R…`: retires the region's digest-signing key and starts a new
 * one (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery). The retired key
 * stays listed by ListPublicKeys for its window, so digests it signed still validate. Keys also
 * rotate by themselves after 30 days. Safe while the server runs: the next digest uses the new key.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { rotateSigningKey } from '../delivery/signing-keys.ts';
import { openStore } from '../store/open.ts';

export function registerRotateSigningKey(program: Command): void {
  program
    .command('rotate-signing-key')
    .description('start a new digest-signing key for each region given (the old one stays listed by ListPublicKeys)')
    .requiredOption('--region <region...>', 'region(s) whose key to rotate')
    .option('--data-dir <dir>', 'data directory (STARTRAIL_DATA_DIR, ./.startrail)')
    .option('--database-url <url>', 'database (STARTRAIL_DATABASE_URL; unset = SQLite in the data dir)')
    .action(async (opts: { region: string[]; dataDir?: string; databaseUrl?: string }) => {
      const store = await openStore(loadConfig(opts, process.env));
      try {
        for (const region of opts.region) {
          const previous = (await store.trails.listSigningKeys(region)).filter((k) => !k.validTo).pop();
          const next = await rotateSigningKey(store, region, new Date());
          process.stdout.write(`${region}: ${previous ? `retired ${previous.fingerprint}, ` : ''}signing with ${next.fingerprint}\n`);
        }
      } finally {
        await store.close();
      }
    });
}
