// Guards on the built file that CI serves (api/static/widget.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { outFile, GZIP_BUDGET } from '../scripts/bundle.mjs';

const code = readFileSync(outFile, 'utf8');

test('one self-contained IIFE, ASCII only', () => {
  assert.match(code, /^\/\*! Shopbot widget \d+\.\d+\.\d+ \*\/\n"use strict";\(\(\)=>\{/);
  assert.ok(!/\bimport\s*\(|\brequire\(|\bexport\b/.test(code));
  assert.ok(/^[\x00-\x7f]*$/.test(code), 'non-ASCII bytes would depend on the page charset');
});

test('no HTML-string sinks or dynamic code anywhere in the bundle', () => {
  for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'srcdoc']) {
    assert.ok(!code.includes(sink), sink);
  }
});

test('no debug surface: nothing mentions prompts', () => {
  assert.ok(!/prompt/i.test(code));
});

test(`gzipped size is within the ${GZIP_BUDGET}-byte budget`, () => {
  assert.ok(gzipSync(code, { level: 9 }).length <= GZIP_BUDGET);
});

test('the shipped build reads every SSE event the chat API sends, replace included', () => {
  for (const event of ['token', 'replace', 'sources', 'done', 'error']) {
    assert.ok(code.includes(`"${event}"`) || code.includes(`'${event}'`), event);
  }
});
