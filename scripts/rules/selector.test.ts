import { matches, parseSelector } from './selector';

describe('parseSelector', () => {
  it('reads a metric and its matchers, with escapes', () => {
    expect(parseSelector('http_requests_total{job="veza-api", method=~"POST|PUT",code!~"2..",x!="a\\"b"}')).toEqual({
      metric: 'http_requests_total',
      matchers: [
        { name: 'job', op: '=', value: 'veza-api' },
        { name: 'method', op: '=~', value: 'POST|PUT' },
        { name: 'code', op: '!~', value: '2..' },
        { name: 'x', op: '!=', value: 'a"b' },
      ],
    });
    expect(parseSelector('up{}').matchers).toEqual([]);
    expect(parseSelector('m{a="1",}').matchers).toHaveLength(1); // PromQL allows a trailing comma
  });

  it.each([
    ['no braces', 'http_requests_total', 'expected "{"'],
    ['a function', 'rate(x[5m])', 'expected "{"'],
    ['single quotes', "m{job='x'}", 'expected a double-quoted value for job'],
    ['an unknown operator', 'm{job=="x"}', 'expected a double-quoted value for job'],
    ['a missing comma', 'm{a="1" b="2"}', 'expected "," or "}"'],
    ['an unterminated value', 'm{a="1}', 'unterminated value for a'],
    ['text after the selector', 'm{a="1"}[5m]', 'unexpected text after "}"'],
    ['a bad label name', 'm{1a="x"}', 'expected a label name'],
    ['an unknown escape', 'm{a="\\q"}', 'unknown escape \\q'],
    ['an unbalanced regex', 'm{a=~"(x"}', 'the regex of a does not compile'],
    ['a backreference', 'm{a=~"(x)\\\\1"}', 'backreferences are not RE2'],
    ['__name__', 'm{__name__="x"}', 'not as __name__'],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseSelector(text)).toThrow(message);
  });

  it('says where the problem is', () => {
    expect(() => parseSelector('m{a="1",b}')).toThrow('at character 10 of "m{a=\\"1\\",b}"');
  });
});

describe('matches', () => {
  it('anchors regexes as Prometheus does', () => {
    const five = { name: 'code', op: '=~' as const, value: '5..' };
    expect(matches(five, '503')).toBe(true);
    expect(matches(five, '1503')).toBe(false);
    expect(matches({ name: 'code', op: '!~', value: '2..' }, '404')).toBe(true);
    expect(matches({ name: 'code', op: '!=', value: '200' }, '200')).toBe(false);
  });
});
