/**
 * The YAML parser's first syntax error in plain words, with the fix. One
 * slip (a tab, one space too many) makes the parser report several errors
 * that are echoes of the first, in its own vocabulary ("Nested mappings are
 * not allowed in compact mappings"); a user needs the first, where it really
 * is, and what to type.
 */

/** A syntax error as the parser gives it: its code, its words, and the offset it points at. */
export interface YamlSyntaxError {
  readonly code: string;
  readonly message: string;
  readonly offset: number;
}

/** The explanation: a message and the 0-based offset of the place to fix. */
export interface ExplainedYamlError {
  readonly message: string;
  readonly offset: number;
}

/** Start offsets of every line of `text`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Leading spaces of a line. */
function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Whether a line holds only blanks or a comment. */
function isBlank(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/**
 * The flow brackets (`[`, `{`) still open at `end`, outermost first, skipping
 * quoted text and comments.
 */
function unclosedBrackets(text: string, end: number): { char: '[' | '{'; offset: number }[] {
  const stack: { char: '[' | '{'; offset: number }[] = [];
  let quote: string | null = null;
  for (let i = 0; i < end; i += 1) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\n') quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      while (i < end && text[i] !== '\n') i += 1;
    } else if (c === '[' || c === '{') stack.push({ char: c, offset: i });
    else if (c === ']' || c === '}') stack.pop();
  }
  return stack;
}

const spaces = (n: number): string => `${n} space${n === 1 ? '' : 's'}`;

/**
 * Explains the first of `errors` (by offset) for `text`; the parser's own
 * words for the kinds it has no plain explanation for.
 */
export function explainFirstYamlError(text: string, errors: readonly YamlSyntaxError[]): ExplainedYamlError | undefined {
  const first = [...errors].sort((a, b) => a.offset - b.offset)[0];
  if (first === undefined) return undefined;
  const starts = lineStarts(text);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let at = 0;
  while (at + 1 < starts.length && (starts[at + 1] ?? Infinity) <= first.offset) at += 1;
  const lineNo = at + 1;
  const line = lines[at] ?? '';
  switch (first.code) {
    case 'TAB_AS_INDENT':
      return {
        message: `Line ${lineNo} is indented with a tab; YAML indents with spaces only. Replace the tab with spaces, so that the key lines up with the other keys of its map.`,
        offset: starts[at] ?? first.offset,
      };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      let next = at + 1;
      while (next < lines.length && isBlank(lines[next] ?? '')) next += 1;
      const nextLine = lines[next];
      if (nextLine !== undefined && indentOf(nextLine) > indentOf(line) && /^\s*[\w"'-][^:]*:(\s|$)/.test(nextLine)) {
        const extra = indentOf(nextLine) - indentOf(line);
        return {
          message:
            `Line ${next + 1} is indented ${spaces(extra)} more than line ${lineNo}, so YAML reads it as part of the value on line ${lineNo}. ` +
            `Keys of one map start in the same column: remove ${spaces(extra)} at the start of line ${next + 1}.`,
          offset: (starts[next] ?? first.offset) + indentOf(nextLine),
        };
      }
      return {
        message:
          `YAML cannot read line ${lineNo} as "key: value". Write a colon and a space after the key (arrival: {...}); ` +
          'a value that is itself a map goes either inline in braces or on the lines below its key, indented.',
        offset: first.offset,
      };
    }
    case 'BAD_INDENT': {
      const open = /end with a [\]}]/.test(first.message) ? unclosedBrackets(text, first.offset) : [];
      const opener = open[0];
      if (opener !== undefined) {
        let openLine = 0;
        while (openLine + 1 < starts.length && (starts[openLine + 1] ?? Infinity) <= opener.offset) openLine += 1;
        const closers = open
          .map((b) => (b.char === '[' ? ']' : '}'))
          .reverse()
          .join('');
        return {
          message:
            `A "${opener.char}" opened on line ${openLine + 1} is not closed before line ${lineNo}. ` +
            `Add "${closers}" at the end of line ${openLine + 1}${open.length > 1 ? ' (one for each bracket still open there)' : ''}.`,
          offset: opener.offset,
        };
      }
      return {
        message:
          `Line ${lineNo} is not indented like the keys around it. Line it up with the other keys of its map (the same number of spaces); ` +
          'if a line above opens a { or a [, check that it closes on that line.',
        offset: first.offset,
      };
    }
    default:
      return undefined;
  }
}
