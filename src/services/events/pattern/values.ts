/**
 * The value forms event patterns compare: numbers as AWS compares them, IP addresses and CIDR
 * ranges, and wildcard strings. docs/event-patterns.md.
 */

// ---- numbers
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-numeric-matching:
// numeric matching works on JSON numbers between -5.0e9 and +5.0e9 inclusive, precise to six digits
// after the decimal point. Two numbers are equal when they agree to six decimals.

export const FIVE_BILLION = 5e9;

/** The number as AWS compares it, or undefined when it is out of the comparable range. */
export function comparable(n: number): number | undefined {
  if (!Number.isFinite(n) || n < -FIVE_BILLION || n > FIVE_BILLION) return undefined;
  // shift to non-negative and keep six decimals, truncating as an integer conversion does
  return Math.floor(1e6 * (FIVE_BILLION + n));
}

/** The out-of-range message (Java's rendering of ±5e9). */
export const NUMBER_RANGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

// ---- IP addresses

// What AWS treats as an address literal: four dotted decimal groups, or hex groups with a colon
// (no embedded IPv4 tail).
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Does the text have the shape of an IP address literal (valid or not)? */
export const looksLikeIp = (text: string) => IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);

/** The address's bytes (4 or 16), or undefined when the text is not an IP address literal. */
export function ipBytes(text: string): number[] | undefined {
  if (IPV4_SHAPE.test(text)) {
    const parts = text.split('.');
    if (parts.some((p) => p.length > 3)) return undefined;
    const bytes = parts.map(Number);
    return bytes.every((b) => b <= 255) ? bytes : undefined;
  }
  if (!IPV6_SHAPE.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = Number.parseInt(g, 16);
    bytes.push(v >> 8, v & 0xff);
  }
  return bytes;
}

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** The address as a fixed-width hex key (v4: 8 digits, v6: 32), for equality and range tests. */
export function ipKey(text: string): string | undefined {
  const b = ipBytes(text);
  return b ? hex(b) : undefined;
}

export interface CidrRange {
  low: string;
  high: string;
}

/**
 * A CIDR block as the range of addresses it holds; throws the engine's message (these messages
 * carry no location: docs/event-patterns.md#error-messages).
 */
export function parseCidr(text: string): CidrRange {
  const parts = text.split('/');
  if (parts.length !== 2 || parts[1] === '') throw new Error("Malformed CIDR, one '/' required");
  const [ip = '', bitsText = ''] = parts;
  if (!/^[+-]?\d+$/.test(bitsText) || Math.abs(Number(bitsText)) > 2 ** 31 - 1) throw new Error('Malformed CIDR, mask bits must be an integer');
  const bits = Number(bitsText);
  if (bits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const bytes = ipBytes(ip);
  if (!bytes) throw new Error(looksLikeIp(ip) ? `Invalid IP address: ${ip}` : `Nonstandard IP address: ${ip}`);
  if (bytes.length === 4 && bits > 31) throw new Error('IPv4 mask bits must be < 32');
  if (bytes.length === 16 && bits > 127) throw new Error('IPv6 mask bits must be < 128');
  let free = bytes.length * 8 - bits;
  const high = [...bytes];
  for (let i = high.length - 1; i >= 0 && free > 0; i--, free -= 8) {
    high[i] = free >= 8 ? 0xff : (high[i] as number) | ((1 << free) - 1);
  }
  return { low: hex(bytes), high: hex(high) };
}

// ---- wildcards
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching:
// `*` matches zero or more characters; `\*` is a literal star and `\\` a literal backslash.

/** A compiled wildcard: the literal pieces between stars. */
export interface Wildcard {
  pieces: string[];
}

/** The most wildcard characters one value may hold (AWS refuses "too complex" wildcards). */
export const MAX_WILDCARDS = 5;
export const TOO_COMPLEX = 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/**
 * Compiles a wildcard value; throws the engine's message. Positions count UTF-8 bytes of the value
 * with its opening quote, as AWS reports them ("Consecutive wildcard characters at pos 4" for
 * `abc**def`).
 */
export function parseWildcard(value: string): Wildcard {
  const pieces: string[] = [];
  let piece = '';
  let bytePos = 1;
  let stars = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '*') {
      if (value[i + 1] === '*') throw new Error(`Consecutive wildcard characters at pos ${bytePos}`);
      pieces.push(piece);
      piece = '';
      stars++;
    } else if (ch === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') throw new Error(`Invalid escape character at pos ${bytePos}`);
      piece += next;
      i++;
      bytePos++;
    } else {
      piece += ch;
    }
    bytePos += Buffer.byteLength(ch === '\\' ? '\\' : ch, 'utf8');
  }
  pieces.push(piece);
  if (stars > MAX_WILDCARDS) throw new Error(TOO_COMPLEX);
  return { pieces };
}

/** Does `s` match the wildcard (the whole string)? Linear: the pieces are found left to right. */
export function wildcardMatches(w: Wildcard, s: string): boolean {
  const { pieces } = w;
  const first = pieces[0] as string;
  if (pieces.length === 1) return s === first;
  const last = pieces[pieces.length - 1] as string;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const p = pieces[i] as string;
    const found = s.indexOf(p, at);
    if (found < 0 || found + p.length > end) return false;
    at = found + p.length;
  }
  return true;
}
