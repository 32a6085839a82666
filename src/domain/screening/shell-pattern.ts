import { ShellPatternError } from '../errors.js';

/** A block-list / NCOS entry [004]: shell wildcards `*` (any run), `?` (one character), `[..]` (a class). */
export interface ShellPattern {
  readonly source: string;
  matches(number: string): boolean;
}

/** Compiles an entry; throws ShellPatternError (turned into a config error naming the key) when malformed. */
export function compileShellPattern(source: string): ShellPattern {
  let re = '^';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = source.indexOf(']', i + 1);
      if (close === -1) throw new ShellPatternError(source, 'a "[" has no closing "]"');
      const body = source.slice(i + 1, close);
      if (body === '' || !/^!?[0-9A-Za-z*#+-]+$/.test(body)) throw new ShellPatternError(source, `bad character class "[${body}]"`);
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else if (/[0-9A-Za-z#+]/.test(c)) re += c === '+' ? '\\+' : c;
    else throw new ShellPatternError(source, `unexpected character "${c}"`);
  }
  const regex = new RegExp(`${re}$`);
  return { source, matches: (n) => regex.test(n) };
}
