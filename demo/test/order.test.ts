import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_QTY, parseOrder } from '../order';

test('a well-formed order and the empty default order are accepted', () => {
  assert.deepEqual(parseOrder('{"sku":"SKU-7","qty":3}'), { order: { sku: 'SKU-7', qty: 3 } });
  assert.deepEqual(parseOrder(''), { order: { sku: 'SKU-1', qty: 1 } });
});

test('malformed orders are refused with a reason, never passed on to the database', () => {
  const refused: Array<[string, RegExp]> = [
    ['{not json', /must be JSON/],
    ['null', /JSON object/],
    ['[1,2]', /JSON object/],
    ['"SKU-1"', /JSON object/],
    ['{"sku":42}', /sku must be/],
    ['{"sku":""}', /sku must be/],
    [`{"sku":"${'x'.repeat(65)}"}`, /sku must be/],
    ['{"sku":"a b"}', /sku must be/],
    ['{"qty":0}', /qty must be/],
    ['{"qty":-1}', /qty must be/],
    ['{"qty":1.5}', /qty must be/],
    ['{"qty":"2"}', /qty must be/],
    [`{"qty":${MAX_QTY + 1}}`, /qty must be/],
    ['{"qty":1e300}', /qty must be/],
  ];
  for (const [body, reason] of refused) {
    const got = parseOrder(body);
    assert.ok('error' in got, `${body} was accepted`);
    assert.match(got.error, reason, body);
  }
});
