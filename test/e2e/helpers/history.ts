/**
 * Event history through the official clients, for the audit e2e tests: every page of a lookup with
 * @aws-sdk/client-cloudtrail and with /usr/bin/aws (which follows NextToken itself), the request id a
 * CLI call got (from its --debug output), and CloudTrail's date forms computed independently of the
 * server (Intl's en-US medium format is Java's).
 */
import { CloudTrailClient, paginateLookupEvents, type Event, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { awsCli, sdkConfig, type CliResult } from './clients.ts';
import type { Credentials } from './server.ts';

export interface Window {
  start?: Date;
  end?: Date;
}

/** Every page of a lookup in `region`'s Event history (history is per Region, as on AWS). */
export async function sdkLookup(endpoint: string, creds: Credentials, attrs: LookupAttribute[], w: Window = {}, region = 'us-east-1'): Promise<Event[]> {
  const client = new CloudTrailClient(sdkConfig(endpoint, creds, region));
  const out: Event[] = [];
  for await (const page of paginateLookupEvents({ client, pageSize: 50 }, { LookupAttributes: attrs, StartTime: w.start, EndTime: w.end }))
    out.push(...(page.Events ?? []));
  return out;
}

/** The CLI's JSON output of lookup-events (all pages); EventTime comes back as an ISO string with +00:00. */
export function cliLookup(endpoint: string, creds: Credentials, attrs: LookupAttribute[], w: Window = {}, region = 'us-east-1'): any[] {
  const args = ['cloudtrail', 'lookup-events'];
  if (attrs.length) args.push('--lookup-attributes', ...attrs.map((a) => `AttributeKey=${a.AttributeKey},AttributeValue=${a.AttributeValue}`));
  if (w.start) args.push('--start-time', w.start.toISOString());
  if (w.end) args.push('--end-time', w.end.toISOString());
  const r = awsCli(endpoint, creds, args, region);
  if (r.status !== 0) throw new Error(`lookup-events failed: ${r.stderr}`);
  return r.json.Events;
}

/** Runs the CLI with --debug and returns the result with the x-amzn-RequestId it received. */
export function cliWithRequestId(endpoint: string, creds: Credentials, args: string[], region?: string): CliResult & { requestId: string } {
  const r = awsCli(endpoint, creds, ['--debug', ...args], region);
  const id = /'x-amzn-requestid': '([0-9a-f-]{36})'/.exec(r.stderr)?.[1];
  if (!id) throw new Error(`no request id in the CLI's debug output: ${r.stderr.slice(-2000)}`);
  return { ...r, requestId: id };
}

const medium = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});
/** "Jul 30, 2024, 9:46:15 PM" (STS, CloudTrail) */
export const javaDate = (d: Date) => medium.format(d).replace(/\u202f/g, ' ');
/** "Aug 1, 2024 1:33:28 PM" (IAM: no comma after the year) */
export const iamDate = (d: Date) => javaDate(d).replace(/(\d{4}),/, '$1');
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
