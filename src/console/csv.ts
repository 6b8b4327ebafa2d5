/**
 * Event history as CSV (the console's "Download events"): one row per event, RFC 4180 quoting, CRLF.
 * Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are prefixed with an
 * apostrophe — records hold attacker-controlled strings (the CSV-injection warning AWS's console shows).
 * A Lake query's results (the Lake query page's "Download CSV") use the same cells: queryRows.
 */

const CSV_COLUMNS = [
  'Event ID',
  'Event time',
  'User name',
  'Event name',
  'Event source',
  'Resource type',
  'Resource name',
  'AWS access key',
  'AWS region',
  'Error code',
  'Source IP address',
  'Read-only',
] as const;

type Obj = Record<string, unknown>;
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function csvCell(v: unknown): string {
  let s = text(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvRow = (cells: unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const csvHeader = (): string => csvRow([...CSV_COLUMNS]);

/** A LookupEvents Event (JSON wire form: EventTime in epoch seconds) as one CSV row. */
export function eventRow(e: Obj): string {
  let record: Obj = {};
  try {
    record = JSON.parse(String(e.CloudTrailEvent ?? '{}')) ?? {};
  } catch {
    /* an imported record may not parse: the columns from the Event remain */
  }
  const resources = Array.isArray(e.Resources) ? (e.Resources as Obj[]) : [];
  const time = typeof e.EventTime === 'number' ? new Date(e.EventTime * 1000).toISOString().replace(/\.000Z$/, 'Z') : text(e.EventTime);
  return csvRow([
    e.EventId,
    time,
    e.Username,
    e.EventName,
    e.EventSource,
    resources.map((r) => text(r.ResourceType)).join(', '),
    resources.map((r) => text(r.ResourceName)).join(', '),
    e.AccessKeyId,
    record.awsRegion,
    record.errorCode,
    record.sourceIPAddress,
    e.ReadOnly,
  ]);
}

/**
 * One GetQueryResults page's QueryResultRows (each row a list of one-entry `{column: value}` maps in
 * column order, docs/lake.md#queries) as CSV rows; `header` adds the column names first.
 */
export function queryRows(rows: unknown, header: boolean): string {
  const list = Array.isArray(rows) ? (rows as Obj[][]) : [];
  let out = '';
  if (header && list[0]) out += csvRow(list[0].map((c) => Object.keys(c ?? {})[0] ?? ''));
  for (const row of list) out += csvRow(row.map((c) => Object.values(c ?? {})[0]));
  return out;
}
