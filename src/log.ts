/** Structured log lines on stderr (one JSON object per line). Secrets are never passed here. */
export const log = (msg: string, fields: Record<string, unknown> = {}): void => {
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }) + '\n');
};
