/** Suggestions, value rendering and unit conversions behind the messages. */
import { describe, expect, test } from 'vitest';
import * as msg from '../../sim/scenario/messages.js';
import { formatSeconds, suggestDuration, toFraction, toSeconds, utf8Length } from '../../sim/scenario/units.js';

describe('didYouMean', () => {
  test.each([
    ['dbb', ['db', 'api'], ' Did you mean "db"?'],
    ['timout', ['timeout', 'target'], ' Did you mean "timeout"?'],
    ['roundrobin', ['roundRobin', 'random'], ' Did you mean "roundRobin"?'],
    ['lognorm', ['lognormal', 'constant'], ' Did you mean "lognormal"?'],
    ['zzz', ['db', 'api'], ''],
    ['db', ['db'], ''],
    ['', ['a'], ''],
    ['x'.repeat(1000), ['x'], ''],
  ])('%s among %j', (word, candidates, hint) => {
    expect(msg.didYouMean(word, candidates)).toBe(hint);
  });

  test('editDistance counts edits, a swap of adjacent letters as one', () => {
    expect(msg.editDistance('kitten', 'sitting')).toBe(3);
    expect(msg.editDistance('', 'abc')).toBe(3);
    expect(msg.editDistance('same', 'same')).toBe(0);
    expect(msg.editDistance('egde', 'edge')).toBe(1);
    expect(msg.editDistance('ab', 'ba')).toBe(1);
    expect(msg.editDistance('ca', 'abc')).toBe(3);
    // A short key with a swap now gets its suggestion (one edit is the limit under six letters).
    expect(msg.didYouMean('egde', ['edge', 'node'])).toBe(' Did you mean "edge"?');
    expect(msg.didYouMean('rerty', ['retry'])).toBe(' Did you mean "retry"?');
  });

  test('the closest candidate wins; a tie goes to the first', () => {
    expect(msg.closest('dbx', ['dbxyz', 'db'])).toBe('db');
    expect(msg.closest('aps', ['api', 'apps'])).toBe('api');
  });
});

describe('showValue', () => {
  test.each([
    ['fast', '"fast"'],
    [Number.NaN, '.nan'],
    [Infinity, '.inf'],
    [-Infinity, '-.inf'],
    [1e308, '1e+308'],
    [null, 'an empty value'],
    [true, 'true'],
    [[1, 2], 'a list of 2'],
    [{ a: 1 }, 'a map with keys "a"'],
    ['x'.repeat(100), `"${'x'.repeat(39)}…"`],
  ])('%s', (value, shown) => {
    expect(msg.showValue(value)).toBe(shown);
  });
});

describe('expected phrases adapt to the value found', () => {
  test('durations', () => {
    expect(msg.expectDuration('10 sec', false)).toContain('a duration like "10s"');
    expect(msg.expectDuration('5 Minutes', false)).toContain('a duration like "5m"');
    expect(msg.expectDuration(-1, false)).toContain('0 or more');
    expect(msg.expectDuration('-2s', false)).toContain('0 or more');
    expect(msg.expectDuration(0, true)).toBe('a duration above 0');
    expect(msg.expectDuration('20000000s', false)).toContain('at most 10000000s');
  });

  test('fractions', () => {
    expect(msg.expectFraction(50)).toContain('like "50%"');
    expect(msg.expectFraction(12.5)).toContain('like "12.5%"');
    expect(msg.expectFraction('150%')).toBe('a percentage from 0% to 100%');
  });
});

describe('units', () => {
  test.each([
    ['250us', 0.00025],
    ['250ms', 0.25],
    ['1.5s', 1.5],
    ['2m', 120],
    ['1h', 3600],
    [0.25, 0.25],
    ['10 sec', Number.NaN],
    ['1e3s', Number.NaN],
  ])('toSeconds(%j)', (d, s) => {
    expect(toSeconds(d)).toBe(s);
  });

  test('toFraction', () => {
    expect(toFraction('50%')).toBe(0.5);
    expect(toFraction(0.3)).toBe(0.3);
    expect(toFraction('half')).toBeNaN();
  });

  test('suggestDuration', () => {
    expect(suggestDuration('10 sec')).toBe('10s');
    expect(suggestDuration('250 millis')).toBe('250ms');
    expect(suggestDuration('3 hours')).toBe('3h');
    expect(suggestDuration('fast')).toBeUndefined();
    expect(suggestDuration('10 parsecs')).toBeUndefined();
  });

  test('formatSeconds', () => {
    expect([0, 0.00002, 0.25, 1.5, 300, 0.1 + 0.2].map(formatSeconds)).toEqual(['0s', '20us', '250ms', '1.5s', '300s', '300ms']);
  });

  test('utf8Length counts bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });
});
