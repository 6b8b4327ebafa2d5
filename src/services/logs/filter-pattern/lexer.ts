/**
 * Tokens of the expressions inside `{ … }` (JSON) and `[ … ]` (space-delimited) patterns. Quoted strings
 * take `\"` and `\\` escapes; `%…%` is a regex; a word runs to whitespace or an operator character.
 */
import { FilterPatternError } from './errors.ts';
import type { Operator } from './values.ts';

export type Token =
  | { t: 'op'; op: Operator }
  | { t: 'and' }
  | { t: 'or' }
  | { t: '(' }
  | { t: ')' }
  | { t: ',' }
  | { t: 'ellipsis' }
  | { t: 'word'; text: string }
  | { t: 'quoted'; text: string }
  | { t: 'regex'; body: string };

const WORD_END = new Set([' ', '\t', '\n', '\r', '(', ')', '&', '|', '=', '!', '<', '>', ',', '"', '%']);

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const next = src[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c });
      i++;
    } else if (c === '&' || c === '|') {
      if (next !== c) throw new FilterPatternError(`single ${c}`);
      out.push({ t: c === '&' ? 'and' : 'or' });
      i += 2;
    } else if (c === '!') {
      if (next !== '=') throw new FilterPatternError('! without =');
      out.push({ t: 'op', op: '!=' });
      i += 2;
    } else if (c === '<' || c === '>') {
      const op = next === '=' ? (`${c}=` as Operator) : (c as Operator);
      out.push({ t: 'op', op });
      i += op.length;
    } else if (c === '=') {
      // `==` is not AWS syntax; a second `=` would be read as a value and fail later.
      out.push({ t: 'op', op: '=' });
      i++;
    } else if (c === '"') {
      const [text, end] = readQuoted(src, i);
      out.push({ t: 'quoted', text });
      i = end;
    } else if (c === '%') {
      const end = src.indexOf('%', i + 1);
      if (end < 0) throw new FilterPatternError('unterminated regex');
      out.push({ t: 'regex', body: src.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '.' && src.startsWith('...', i) && (i + 3 >= src.length || WORD_END.has(src[i + 3] ?? ''))) {
      out.push({ t: 'ellipsis' });
      i += 3;
    } else {
      let j = i;
      while (j < src.length && !WORD_END.has(src[j] ?? '')) j++;
      out.push({ t: 'word', text: src.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** A double-quoted string from `src[start]`: its content and the index after the closing quote. */
export function readQuoted(src: string, start: number): [string, number] {
  let text = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length) {
      text += src[i + 1];
      i += 2;
    } else if (c === '"') {
      return [text, i + 1];
    } else {
      text += c;
      i++;
    }
  }
  throw new FilterPatternError('unterminated quoted string');
}

/** A cursor over tokens for the recursive-descent parsers. */
export class Tokens {
  private at = 0;
  constructor(private readonly list: Token[]) {}
  peek(): Token | undefined {
    return this.list[this.at];
  }
  next(): Token | undefined {
    return this.list[this.at++];
  }
  done(): boolean {
    return this.at >= this.list.length;
  }
}
