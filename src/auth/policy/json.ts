/**
 * Duplicate-key detection for policy JSON. A key may not repeat in one statement (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
 * JSON.parse silently keeps the last duplicate, which could drop a Deny's condition; IAM rejects the document.
 */

/** True when any object in `text` repeats a key. Only call on text JSON.parse accepted (the scan trusts its shape). */
export function hasDuplicateKeys(text: string): boolean {
  const stack: Array<Set<string> | null> = []; // a Set per open object, null per open array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return true;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = !!stack[stack.length - 1];
    }
  }
  return false;
}
