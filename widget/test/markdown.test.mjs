import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarkdown, parseInline, renderMarkdown, safeHref } from '../src/markdown.js';
import { fakeDocument, serialize } from './fake-dom.mjs';

/** Render markdown to an escaped HTML string through the DOM renderer. */
function html(md) {
  const doc = fakeDocument();
  return serialize(renderMarkdown(parseMarkdown(md), doc));
}

test('plain text and paragraphs with line breaks', () => {
  assert.deepEqual(parseMarkdown('Hello'), [{ t: 'p', c: ['Hello'] }]);
  assert.equal(html('one\ntwo\n\nthree'), '<p>one<br>two</p><p>three</p>');
  assert.deepEqual(parseMarkdown(''), []);
  assert.deepEqual(parseMarkdown(null), []);
});

test('bold, italics and inline code', () => {
  assert.equal(html('a **bold** and *it* and __b2__ and _i2_'), '<p>a <strong>bold</strong> and <em>it</em> and <strong>b2</strong> and <em>i2</em></p>');
  assert.equal(html('**bold with *italic* inside**'), '<p><strong>bold with <em>italic</em> inside</strong></p>');
  assert.equal(html('***both***'), '<p><strong><em>both</em></strong></p>');
  assert.equal(html('use `<b>` here'), '<p>use <code>&lt;b&gt;</code> here</p>');
});

test('stray or intraword markers stay literal', () => {
  assert.equal(html('2 * 3 * 4'), '<p>2 * 3 * 4</p>');
  assert.equal(html('snake_case_name and **unclosed'), '<p>snake_case_name and **unclosed</p>');
  assert.equal(html('\\*not italic\\*'), '<p>*not italic*</p>');
});

test('lists: unordered, ordered with start, continuation lines', () => {
  assert.equal(html('Options:\n- red\n- **blue**\n* green'), '<p>Options:</p><ul><li>red</li><li><strong>blue</strong></li><li>green</li></ul>');
  assert.equal(html('1. one\n2. two'), '<ol><li>one</li><li>two</li></ol>');
  assert.equal(html('3) three\n4) four'), '<ol start="3"><li>three</li><li>four</li></ol>');
  assert.equal(html('- item\n  more of it\nafter'), '<ul><li>item<br>more of it</li></ul><p>after</p>');
  assert.equal(html('- a\n1. b'), '<ul><li>a</li></ul><ol><li>b</li></ol>');
  assert.equal(
    html('- [a](https://a.example/)\n- [b](https://b.example/)'),
    '<ul><li><a href="https://a.example/" target="_blank" rel="noopener noreferrer nofollow">a</a></li>' +
      '<li><a href="https://b.example/" target="_blank" rel="noopener noreferrer nofollow">b</a></li></ul>',
  );
});

test('headings become bold paragraphs; rules separate blocks', () => {
  assert.equal(html('## Best picks ##\ntext\n---\nmore'), '<p><strong>Best picks</strong></p><p>text</p><p>more</p>');
});

test('links: http(s) only, with target and rel=noopener', () => {
  assert.equal(
    html('See [the shop](https://shop.example/p?id=1&x=2 "title").'),
    '<p>See <a href="https://shop.example/p?id=1&amp;x=2" target="_blank" rel="noopener noreferrer nofollow">the shop</a>.</p>',
  );
  assert.equal(
    html('Wiki: https://en.wikipedia.org/wiki/Tea_(drink), ok'),
    '<p>Wiki: <a href="https://en.wikipedia.org/wiki/Tea_(drink)" target="_blank" rel="noopener noreferrer nofollow">https://en.wikipedia.org/wiki/Tea_(drink)</a>, ok</p>',
  );
  assert.equal(
    html('[https://a.example](https://a.example)'),
    '<p><a href="https://a.example/" target="_blank" rel="noopener noreferrer nofollow">https://a.example</a></p>',
  );
});

test('unsafe links degrade to text', () => {
  for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>x</script>', '/relative', '//evil.example/x', 'vbscript:x', 'ftp://x.example']) {
    const out = html(`[click](${url})`);
    assert.ok(!out.includes('<a'), `${url} -> ${out}`);
    assert.ok(out.includes('click'));
  }
});

test('safeHref', () => {
  assert.equal(safeHref('https://shop.example/a b'), null);
  assert.equal(safeHref(' https://shop.example/x '), 'https://shop.example/x');
  assert.equal(safeHref('HTTP://SHOP.example'), 'http://shop.example/');
  assert.equal(safeHref('java\nscript:alert(1)'), null);
  assert.equal(safeHref('https:\\\\evil.example'), null);
  assert.equal(safeHref('\u0000https://x.example'), null);
  assert.equal(safeHref('https://'), null);
  assert.equal(safeHref(undefined), null);
  assert.equal(safeHref(42), null);
});

test('HTML in answers and titles is text, never markup', () => {
  const evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> **<b>hi</b>**';
  const out = html(evil);
  assert.equal(
    out,
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; <strong>&lt;b&gt;hi&lt;/b&gt;</strong></p>',
  );
  const tree = parseMarkdown(evil);
  // The tree is plain data: strings and {t,c} nodes, no markup anywhere.
  assert.equal(tree[0].c[0], '<script>alert(1)</script> <img src=x onerror=alert(2)> ');
});

test('renderer only uses safe DOM APIs', () => {
  const doc = fakeDocument({ forbidHTML: true });
  renderMarkdown(parseMarkdown('**a** [b](https://x.example) `c`\n- d'), doc);
});

test('partial markdown during streaming renders without throwing', () => {
  const full = 'Try **Merino Sock** ([link](https://s.example/p/1)) for *12 €*.\n- warm\n- soft';
  for (let i = 0; i <= full.length; i++) html(full.slice(0, i));
});

test('parseInline exposes the token tree', () => {
  assert.deepEqual(parseInline('a **b** [c](https://x.example/)'), [
    'a ',
    { t: 'b', c: ['b'] },
    ' ',
    { t: 'a', href: 'https://x.example/', c: ['c'] },
  ]);
});
