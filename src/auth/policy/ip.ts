/** CIDR matching for the IpAddress / NotIpAddress condition operators. IPv4/IPv6 CIDR; a bare address is a /32, or /128
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html). */

interface Address {
  bits: 32 | 128;
  value: bigint;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const push = (list: string[]) => {
    for (const [i, g] of list.entries()) {
      // An embedded IPv4 tail (`::ffff:10.0.0.1`) counts as two 16-bit groups.
      if (i === list.length - 1 && g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return false;
        words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-f]{1,4}$/i.test(g)) words.push(parseInt(g, 16));
      else return false;
    }
    return true;
  };
  const headWords: number[] = [];
  if (!push(head)) return undefined;
  headWords.push(...words.splice(0));
  if (!push(tail)) return undefined;
  const missing = 8 - headWords.length - words.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...headWords, ...new Array<number>(missing).fill(0), ...words];
  return all.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

const MAPPED_V4 = 0xffff00000000n;

/** Parses an address; an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what node reports for v4 peers on a dual-stack socket) becomes IPv4. */
function parseAddress(s: string): Address | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = parseV6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === MAPPED_V4 >> 32n) return { bits: 32, value: v6 & 0xffffffffn };
  return { bits: 128, value: v6 };
}

/** True when `ip` lies in `cidr`. Different families, or anything unparseable, never match. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [net, len, extra] = cidr.trim().split('/');
  if (extra !== undefined || net === undefined) return false;
  const n = parseAddress(net);
  const a = parseAddress(ip.trim());
  if (!n || !a || n.bits !== a.bits) return false;
  const prefix = len === undefined ? n.bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= n.bits)) return false;
  const shift = BigInt(n.bits - prefix);
  return n.value >> shift === a.value >> shift;
}
