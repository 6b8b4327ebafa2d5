/** Retry delay after `failures` consecutive failures: 1 s, 2 s, 4 s … capped at 5 minutes (trail delivery to S3 and to CloudWatch Logs). */
export function backoffMs(failures: number): number {
  return Math.min(1000 * 2 ** Math.max(0, failures - 1), 300_000);
}
