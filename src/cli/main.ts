/** `startrail` command line: serve (default), and the tools that grow beside it. */
import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { log } from '../log.ts';
import { registerAccounts } from './accounts.ts';
import { registerImport } from './import.ts';
import { registerRotateSigningKey } from './rotate-signing-key.ts';
import { registerValidateLogs } from './validate-logs.ts';

const program = new Command('startrail').description('Self-hosted AWS CodeStar with AWS CloudTrail built in');

program
  .command('serve', { isDefault: true })
  .description('serve the AWS-compatible endpoint')
  .option('--port <port>', 'port to listen on (STARTRAIL_PORT, 4600)')
  .option('--host <host>', 'address to bind (STARTRAIL_HOST, 127.0.0.1)')
  .option('--data-dir <dir>', 'data directory (STARTRAIL_DATA_DIR, ./.startrail)')
  .option('--database-url <url>', 'database (STARTRAIL_DATABASE_URL; unset = SQLite in the data dir)')
  .option('--workers <n>', "server processes on the port, or 'auto' for one per CPU (STARTRAIL_WORKERS, 1)")
  .action(async (opts) => {
    // The server is loaded only for `serve`, so the other commands start fast.
    const workers = await import('../server/workers.ts');
    const config = loadConfig(opts, process.env);
    if (config.workers > 1 && !workers.isWorker()) {
      // the primary of `--workers N` serves nothing: it loads the store, not the services
      const { prepare } = await import('../prepare.ts');
      await workers.runPrimary({ workers: config.workers, prepare: () => prepare(config), log });
      return;
    }
    if (workers.isWorker()) workers.joinSiblings();
    const { start } = await import('../main.ts');
    const running = await start(config);
    let stopping = false;
    const stop = async () => {
      // once: Ctrl-C signals a worker and its primary, and the primary then signals the worker too
      if (stopping) return;
      stopping = true;
      await running.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

registerImport(program);
registerAccounts(program);
registerValidateLogs(program);
registerRotateSigningKey(program);

program.parseAsync(process.argv).catch((e) => {
  log('fatal', { error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
