import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiBase } from '../src/config.js';

const script = (src, apiUrl) => ({ src, getAttribute: (n) => (n === 'data-api-url' ? apiUrl ?? null : null) });
const PAGE = 'https://store.example/shop/';

test('API base is the origin that served widget.js', () => {
  assert.equal(apiBase(script('https://api.shopbot.example/widget.js?v=2'), PAGE), 'https://api.shopbot.example');
  assert.equal(apiBase(script('http://127.0.0.1:8000/widget.js'), PAGE), 'http://127.0.0.1:8000');
});

test('data-api-url overrides it (relative allowed, trailing slash dropped)', () => {
  assert.equal(apiBase(script('https://cdn.example/widget.js', 'https://api.example/shopbot/'), PAGE), 'https://api.example/shopbot');
  assert.equal(apiBase(script('https://cdn.example/widget.js', '/bot'), PAGE), 'https://store.example/bot');
});

test('non-http schemes are refused', () => {
  assert.equal(apiBase(script('https://cdn.example/widget.js', 'javascript:alert(1)'), PAGE), null);
});
