import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectProductId, productIdFromBodyClass } from '../src/product.js';

/**
 * A tiny stand-in for a parsed page: `elements` are {selector-ish attrs}.
 * It supports exactly the selectors detectProductId uses.
 */
function page({ bodyClass = '', elements = [] } = {}) {
  const els = elements.map((e) => ({ ...e, getAttribute: (n) => (n in e.attrs ? e.attrs[n] : null), value: e.attrs.value }));
  return {
    body: { className: bodyClass },
    querySelectorAll(selector) {
      if (selector === 'form.cart [name="add-to-cart"]') return els.filter((e) => e.inCartForm && e.attrs.name === 'add-to-cart');
      if (selector === '[name="add-to-cart"]') return els.filter((e) => e.attrs.name === 'add-to-cart');
      if (selector === '[data-product_id]') return els.filter((e) => 'data-product_id' in e.attrs);
      throw new Error('unexpected selector ' + selector);
    },
  };
}
const script = (attrs = {}) => ({ getAttribute: (n) => (n in attrs ? attrs[n] : null) });

test('body class postid-N on a single-product page', () => {
  const cls = 'product-template-default single single-product postid-123 woocommerce woocommerce-page';
  assert.equal(productIdFromBodyClass(cls), '123');
  assert.equal(detectProductId(page({ bodyClass: cls })), '123');
});

test('postid-N on a blog post is not a product', () => {
  assert.equal(productIdFromBodyClass('post-template-default single single-post postid-77'), null);
  assert.equal(detectProductId(page({ bodyClass: 'single single-post postid-77' })), null);
  assert.equal(productIdFromBodyClass(undefined), null);
});

test('the add-to-cart form field, preferring the one in form.cart', () => {
  const doc = page({
    elements: [
      { attrs: { name: 'add-to-cart', value: 'abc' } },
      { attrs: { name: 'add-to-cart', value: '55' } },
      { inCartForm: true, attrs: { name: 'add-to-cart', value: '42' } },
    ],
  });
  assert.equal(detectProductId(doc), '42');
  assert.equal(detectProductId(page({ elements: [{ attrs: { name: 'add-to-cart', value: ' 9 ' } }] })), '9');
});

test('[data-product_id] only when it is unambiguous', () => {
  const one = page({ elements: [{ attrs: { 'data-product_id': '7' } }, { attrs: { 'data-product_id': '7' } }] });
  assert.equal(detectProductId(one), '7');
  const listing = page({ elements: [{ attrs: { 'data-product_id': '7' } }, { attrs: { 'data-product_id': '8' } }] });
  assert.equal(detectProductId(listing), null);
  assert.equal(detectProductId(page({ elements: [{ attrs: { 'data-product_id': '<script>' } }] })), null);
});

test('the merchant’s data-product-id on the script tag wins', () => {
  const doc = page({ bodyClass: 'single-product postid-1' });
  assert.equal(detectProductId(doc, script({ 'data-product-id': 'SKU-99' })), 'SKU-99');
  assert.equal(detectProductId(doc, script({ 'data-product-id': 'bad id"><x' })), '1');
  assert.equal(detectProductId(doc, script({})), '1');
});

test('body class beats related-product markup on a product page', () => {
  const doc = page({
    bodyClass: 'single-product postid-10',
    elements: [{ attrs: { 'data-product_id': '11' } }, { attrs: { 'data-product_id': '12' } }],
  });
  assert.equal(detectProductId(doc), '10');
});

test('nothing on a plain page', () => {
  assert.equal(detectProductId(page()), null);
  assert.equal(detectProductId({ body: null, querySelectorAll: () => [] }), null);
});
