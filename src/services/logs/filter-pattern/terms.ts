/**
 * Term patterns for unstructured log events: words and "quoted phrases" that must all appear,
 * `-term` that must not, `?term` of which one must. Case-sensitive. A term matches where it stands
 * as a whole word: not inside a longer run of letters and digits (so `ERROR` does not match
 * `ERRORS`); a regex `%…%` matches anywhere. `""` and `" "` match every event.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-unstructured-log-events
 */
import { FilterPatternError } from './errors.ts';
import { readQuoted } from './lexer.ts';
import { compileRegex } from './values.ts';

type Matcher = { kind: 'text'; text: string } | { kind: 'regex'; regex: RegExp };

export interface TermPattern {
  all: Matcher[];
  none: Matcher[];
  any: Matcher[];
}

/** Characters that must be quoted in a term (they start or belong to the other pattern kinds). */
const RESERVED = /["{}[\]()%&|=<>,!]/;

export function parseTermPattern(text: string): TermPattern {
  const p: TermPattern = { all: [], none: [], any: [] };
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    let list = p.all;
    if (c === '-' || c === '?') {
      list = c === '-' ? p.none : p.any;
      i++;
    }
    const start = text[i];
    let matcher: Matcher;
    if (start === '"') {
      const [phrase, end] = readQuoted(text, i);
      i = end;
      // A blank phrase ("" or " ") restricts nothing.
      if (phrase.trim() === '') continue;
      matcher = { kind: 'text', text: phrase };
    } else if (start === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw new FilterPatternError('unterminated regex');
      matcher = { kind: 'regex', regex: compileRegex(text.slice(i + 1, end)) };
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/\s/.test(text[j] ?? '')) j++;
      const word = text.slice(i, j);
      if (word === '' || RESERVED.test(word)) throw new FilterPatternError(`term ${word} must be quoted`);
      matcher = { kind: 'text', text: word };
      i = j;
    }
    list.push(matcher);
  }
  return p;
}

const WORD = /[A-Za-z0-9]/;

function contains(m: Matcher, message: string): boolean {
  if (m.kind === 'regex') return m.regex.test(message);
  const t = m.text;
  const startsWord = WORD.test(t[0] ?? '');
  const endsWord = WORD.test(t[t.length - 1] ?? '');
  for (let at = message.indexOf(t); at >= 0; at = message.indexOf(t, at + 1)) {
    const before = message[at - 1] ?? ' ';
    const after = message[at + t.length] ?? ' ';
    if ((!startsWord || !WORD.test(before)) && (!endsWord || !WORD.test(after))) return true;
  }
  return false;
}

export function matchTerms(p: TermPattern, message: string): boolean {
  return (
    p.all.every((m) => contains(m, message)) && !p.none.some((m) => contains(m, message)) && (p.any.length === 0 || p.any.some((m) => contains(m, message)))
  );
}
