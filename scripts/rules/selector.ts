// A strict checker for the SLI selectors of the spec: `metric{label op "value", ...}` and nothing else.
// The generator pastes selectors into rule expressions and into the alert descriptions' `query` templates,
// so anything Prometheus would refuse (or a template would run) has to be caught here, before a file is
// written. It is deliberately narrower than PromQL: no offsets, no functions, no unquoted or single-quoted
// values — an SLI is a plain counter selector.

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  metric: string;
  matchers: Matcher[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const OP = /^(=~|!~|!=|=)/;
// Escapes Go's strconv.Unquote accepts in a double-quoted PromQL string (the common ones).
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', "'": "'" };

/**
 * RE2 (Prometheus) has no lookaround and no backreferences; JavaScript compiles both, so they are
 * refused by name. Named groups are written (?P<name>...) in RE2 and JS refuses them when compiling.
 */
const NOT_RE2: Array<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'lookaround (?= (?! (?<= (?<! is not RE2'],
  [/\\[1-9]|\\k</, 'backreferences are not RE2'],
];

function regexProblem(value: string): string | undefined {
  for (const [re, why] of NOT_RE2) {
    if (re.test(value)) {
      return why;
    }
  }
  try {
    new RegExp(`^(?:${value})$`);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

/** Parses a selector, or throws with what is wrong and where (the caller adds the field name). */
export function parseSelector(text: string): Selector {
  let rest = text;
  const fail = (why: string): never => {
    const at = text.length - rest.length;
    throw new Error(`${why} at character ${at + 1} of ${JSON.stringify(text)}`);
  };
  const take = (re: RegExp): string | undefined => {
    const m = re.exec(rest);
    if (m) {
      rest = rest.slice(m[0].length);
    }
    return m?.[0];
  };
  const skipSpace = () => take(/^\s*/);

  const metric = take(METRIC) ?? fail('expected a metric name');
  skipSpace();
  if (!take(/^\{/)) {
    fail('expected "{" after the metric name');
  }
  const matchers: Matcher[] = [];
  skipSpace();
  while (!take(/^\}/)) {
    const name = take(LABEL) ?? fail('expected a label name');
    skipSpace();
    const op = (take(OP) ?? fail(`expected =, !=, =~ or !~ after ${name}`)) as MatchOp;
    skipSpace();
    if (!take(/^"/)) {
      fail(`expected a double-quoted value for ${name}`);
    }
    let value = '';
    for (;;) {
      const c = rest[0];
      if (c === undefined || c === '\n') {
        fail(`unterminated value for ${name}`);
      }
      rest = rest.slice(1);
      if (c === '"') {
        break;
      }
      if (c === '\\') {
        const e = ESCAPES[rest[0]];
        if (e === undefined) {
          fail(`unknown escape \\${rest[0] ?? ''} in the value of ${name}`);
        }
        rest = rest.slice(1);
        value += e;
      } else {
        value += c;
      }
    }
    if (op === '=~' || op === '!~') {
      const problem = regexProblem(value);
      if (problem) {
        fail(`the regex of ${name} does not compile (${problem})`);
      }
    }
    matchers.push({ name, op, value });
    skipSpace();
    if (take(/^,/)) {
      skipSpace();
    } else if (rest[0] !== '}') {
      fail('expected "," or "}"');
    }
  }
  if (rest.length > 0) {
    fail('unexpected text after "}"');
  }
  if (matchers.some((m) => m.name === '__name__')) {
    throw new Error(`the metric name is written before "{", not as __name__ in ${JSON.stringify(text)}`);
  }
  return { metric, matchers };
}

/** Does the matcher select this label value? (A missing label reads as "".) */
export function matches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}
