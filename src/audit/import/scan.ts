/**
 * Finds the CloudTrail records in a file's text as exact slices of that text, so an imported record
 * keeps its content byte for byte (CloudTrailEvent = the source record;
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html). A file is a sequence of JSON values: one `{"Records":[…]}` log file, one bare array, or JSON
 * Lines (one record per line; a line may also be a Records object or an array). Wrappers are
 * opened; any other object is a record. Nothing is parsed here: callers JSON.parse each slice.
 */
export class ScanError extends Error {}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09, 0xfeff]);

export function recordSlices(text: string): string[] {
  const s = new Scanner(text);
  const out: string[] = [];
  for (let pos = s.ws(0); pos < text.length; pos = s.ws(pos)) {
    const c = text[pos];
    if (c === '[') pos = s.elements(pos, out);
    else if (c === '{') pos = s.object(pos, out);
    else throw s.error(pos, `expected a JSON object or array, found ${JSON.stringify(text.slice(pos, pos + 12))}`);
  }
  return out;
}

class Scanner {
  constructor(private readonly t: string) {}

  ws(p: number): number {
    while (p < this.t.length && WS.has(this.t.charCodeAt(p))) p++;
    return p;
  }

  error(p: number, message: string): ScanError {
    const line = this.t.slice(0, p).split('\n').length;
    return new ScanError(`line ${line}: ${message}`);
  }

  /** An array whose elements are records: pushes each element's slice; returns the position after `]`. */
  elements(p: number, out: string[]): number {
    p = this.ws(p + 1);
    if (this.t[p] === ']') return p + 1;
    for (;;) {
      const end = this.value(p);
      out.push(this.t.slice(p, end));
      p = this.ws(end);
      if (this.t[p] === ']') return p + 1;
      if (this.t[p] !== ',') throw this.error(p, 'expected , or ] in an array');
      p = this.ws(p + 1);
    }
  }

  /** An object: a `{"Records":[…]}` wrapper yields its elements, anything else is one record. */
  object(start: number, out: string[]): number {
    let p = this.ws(start + 1);
    let wrapped = false;
    const records: string[] = [];
    if (this.t[p] !== '}') {
      for (;;) {
        if (this.t[p] !== '"') throw this.error(p, 'expected a member name');
        const keyEnd = this.string(p);
        const key = this.t.slice(p, keyEnd);
        p = this.ws(keyEnd);
        if (this.t[p] !== ':') throw this.error(p, 'expected :');
        p = this.ws(p + 1);
        if (key === '"Records"' && this.t[p] === '[') {
          wrapped = true;
          p = this.elements(p, records);
        } else p = this.value(p);
        p = this.ws(p);
        if (this.t[p] === '}') break;
        if (this.t[p] !== ',') throw this.error(p, 'expected , or } in an object');
        p = this.ws(p + 1);
      }
    }
    if (wrapped) out.push(...records);
    else out.push(this.t.slice(start, p + 1));
    return p + 1;
  }

  /** The end of the JSON value starting at p (strings skipped whole, so brackets inside them do not count). */
  value(p: number): number {
    const t = this.t;
    const c = t[p];
    if (c === '"') return this.string(p);
    if (c === '{' || c === '[') {
      let depth = 0;
      for (let i = p; i < t.length; i++) {
        const ch = t.charCodeAt(i);
        if (ch === 0x22) {
          i = this.string(i) - 1;
          continue;
        }
        if (ch === 0x7b || ch === 0x5b) depth++;
        else if (ch === 0x7d || ch === 0x5d) {
          if (--depth === 0) return i + 1;
        }
      }
      throw this.error(p, 'unterminated object or array');
    }
    let i = p;
    while (i < t.length && !WS.has(t.charCodeAt(i)) && t[i] !== ',' && t[i] !== ']' && t[i] !== '}') i++;
    if (i === p) throw this.error(p, 'expected a value');
    return i;
  }

  /** The position after the closing quote of the string starting at p. */
  string(p: number): number {
    for (let q = p + 1; ; ) {
      const end = this.t.indexOf('"', q);
      if (end < 0) throw this.error(p, 'unterminated string');
      let backslashes = 0;
      while (this.t.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) return end + 1;
      q = end + 1;
    }
  }
}
