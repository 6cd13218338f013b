import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPrice, parseRetryAfter } from '../src/format.js';

// Intl output uses narrow/non-breaking spaces in some locales; compare on a
// normalised form.
const norm = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('formats decimal strings and numbers in the given currency', () => {
  assert.equal(formatPrice('19.90', 'USD', 'en-US'), '$19.90');
  assert.equal(formatPrice(19.9, 'usd', 'en-US'), '$19.90');
  assert.equal(norm(formatPrice('1234.5', 'EUR', 'de-DE')), '1.234,50 €');
  assert.equal(formatPrice('1500', 'JPY', 'en-US'), '¥1,500');
  assert.equal(formatPrice('0', 'GBP', 'en-GB'), '£0.00');
});

test('missing or odd inputs', () => {
  assert.equal(formatPrice(null, 'USD', 'en-US'), '');
  assert.equal(formatPrice(undefined, 'USD', 'en-US'), '');
  assert.equal(formatPrice('', 'USD', 'en-US'), '');
  assert.equal(formatPrice('12.00', undefined, 'en-US'), '12.00');
  assert.equal(formatPrice('12', 'not-a-code', 'en-US'), '12.00');
  assert.equal(formatPrice('call us', 'USD', 'en-US'), 'call us');
});

test('an invalid page locale falls back instead of hiding the price', () => {
  assert.match(formatPrice('5', 'USD', 'not a locale!!'), /5\.00|5,00/);
});

test('an unknown but well-formed currency code still renders', () => {
  assert.match(norm(formatPrice('5', 'XYZ', 'en-US')), /XYZ\s?5\.00/);
});

test('Retry-After: seconds, HTTP date, junk', () => {
  assert.equal(parseRetryAfter('7'), 7);
  assert.equal(parseRetryAfter(' 0 '), 1);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:00 GMT', now + 5000), 1);
  assert.equal(parseRetryAfter('soon'), null);
  assert.equal(parseRetryAfter(null), null);
  assert.equal(parseRetryAfter('999999'), 86400);
});
