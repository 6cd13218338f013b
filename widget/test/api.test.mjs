import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, ApiError } from '../src/api.js';

const BASE = 'https://api.example';
const enc = new TextEncoder();

/** A streaming Response whose body arrives as the given byte chunks. */
function sseResponse(chunks, status = 200) {
  const body = new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === 'string' ? enc.encode(c) : c);
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const problem = (status, code, headers = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, detail: code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
const SESSION = { session_token: 'tok1', expires_at: '2999-01-01T00:00:00Z', bot: { name: 'Bot', greeting: 'Hi', theme: {} } };

/** Fake fetch: answers from a queue of handlers, records every call. */
function fakeFetch(...handlers) {
  const calls = [];
  const f = async (url, init) => {
    const call = { url, init, body: init.body ? JSON.parse(init.body) : null, headers: init.headers };
    calls.push(call);
    const h = handlers.shift();
    if (!h) throw new Error('unexpected fetch ' + url);
    return typeof h === 'function' ? h(call) : h;
  };
  f.calls = calls;
  return f;
}

function memoryCache(initial = null) {
  let s = initial;
  return { load: () => s, save: (v) => (s = v), get value() { return s; } };
}

test('session: POST widget_key, cached in memory and in the cache', async () => {
  const fetch = fakeFetch(json(SESSION));
  const cache = memoryCache();
  const client = createClient({ base: BASE, widgetKey: 'wk_1', fetch, cache });
  const [a, b] = await Promise.all([client.session(), client.session()]);
  assert.equal(a.session_token, 'tok1');
  assert.equal(b, a);
  assert.equal(fetch.calls.length, 1, 'concurrent callers share one request');
  assert.equal(fetch.calls[0].url, BASE + '/widget/v1/sessions');
  assert.equal(fetch.calls[0].init.method, 'POST');
  assert.equal(fetch.calls[0].init.credentials, 'omit');
  assert.deepEqual(fetch.calls[0].body, { widget_key: 'wk_1' });
  assert.equal(cache.value.session_token, 'tok1');
});

test('session: a cached, unexpired session is reused; an expired one is renewed', async () => {
  const now = () => Date.parse('2025-01-01T00:00:00Z');
  const valid = { ...SESSION, expires_at: '2025-01-01T01:00:00Z' };
  let client = createClient({ base: BASE, widgetKey: 'wk', fetch: fakeFetch(), cache: memoryCache(valid), now });
  assert.equal((await client.session()).session_token, 'tok1');

  const expired = { ...SESSION, session_token: 'old', expires_at: '2025-01-01T00:00:10Z' };
  const fetch = fakeFetch(json(SESSION));
  client = createClient({ base: BASE, widgetKey: 'wk', fetch, cache: memoryCache(expired), now });
  assert.equal((await client.session()).session_token, 'tok1');
  assert.equal(fetch.calls.length, 1);
});

test('session: 403 (origin not allowed) is a "forbidden" ApiError', async () => {
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch: fakeFetch(problem(403, 'origin_not_allowed')) });
  await assert.rejects(client.session(), (e) => e instanceof ApiError && e.kind === 'forbidden' && e.status === 403 && e.code === 'origin_not_allowed');
});

test('network failure is "offline"', async () => {
  const client = createClient({
    base: BASE,
    widgetKey: 'wk',
    fetch: fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    }),
  });
  await assert.rejects(client.session(), (e) => e.kind === 'offline');
});

test('chat: streams tokens and sources, returns the done payload; split UTF-8 and pings', async () => {
  const euro = enc.encode('{"delta":"12 €"}');
  const cut = euro.indexOf(0xe2) + 1; // split inside the 3-byte euro sign
  const fetch = fakeFetch(
    json(SESSION),
    sseResponse([
      ': ping\n\n',
      'event: token\ndata: {"delta":"Costs "}\n\nevent: tok',
      'en\ndata: ',
      euro.slice(0, cut),
      euro.slice(cut),
      '\n\n: ping\n\nevent: sources\ndata: {"sources":[{"product_id":"p1","title":"Sock","price":"12.00","currency":"EUR","in_stock":true}]}\n\n',
      'event: done\ndata: {"conversation_id":"c9","message_id":"m9","answer":"Costs 11 €"}\n\n',
    ]),
  );
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  const tokens = [];
  let sources = null;
  const done = await client.chat(
    { message: 'price?', page: { url: 'https://s.example/p', product_id: '5' } },
    { token: (d) => tokens.push(d), sources: (s) => (sources = s) },
  );
  assert.deepEqual(tokens, ['Costs ', '12 €']);
  assert.equal(sources[0].title, 'Sock');
  assert.deepEqual(done, { conversation_id: 'c9', message_id: 'm9', answer: 'Costs 11 €' });
  const call = fetch.calls[1];
  assert.equal(call.url, BASE + '/widget/v1/chat');
  assert.equal(call.headers.Authorization, 'Bearer tok1');
  assert.equal(call.headers.Accept, 'text/event-stream');
  assert.equal(call.headers['Content-Type'], 'application/json');
  assert.deepEqual(call.body, { message: 'price?', page: { url: 'https://s.example/p', product_id: '5' } });
});

test('chat: a replace event hands its full text over, in order with the tokens', async () => {
  const fetch = fakeFetch(
    json(SESSION),
    sseResponse([
      'event: token\ndata: {"delta":"Happy to help."}\n\n',
      'event: replace\ndata: {"text":"I can\'t share that."}\n\nevent: token\ndata: {"delta":" Anything else?"}\n\n',
      'event: done\ndata: {"conversation_id":"c","message_id":"m","answer":"I can\'t share that. Anything else?"}\n\n',
    ]),
  );
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  const seen = [];
  const done = await client.chat({ message: 'x' }, { token: (d) => seen.push(['token', d]), replace: (t) => seen.push(['replace', t]) });
  assert.deepEqual(seen, [['token', 'Happy to help.'], ['replace', "I can't share that."], ['token', ' Anything else?']]);
  assert.equal(done.answer, "I can't share that. Anything else?");
});

test('chat: nothing after done or error reaches the handlers, a late replace included', async () => {
  const afterDone = fakeFetch(
    json(SESSION),
    sseResponse([
      'event: replace\ndata: {"text":"Checked."}\n\nevent: done\ndata: {"conversation_id":"c","message_id":"m","answer":"Checked."}\n\n',
      'event: replace\ndata: {"text":"late"}\n\nevent: token\ndata: {"delta":" late"}\n\n',
    ]),
  );
  const seen = [];
  const handlers = { token: (d) => seen.push(['token', d]), replace: (t) => seen.push(['replace', t]) };
  const done = await createClient({ base: BASE, widgetKey: 'wk', fetch: afterDone }).chat({ message: 'x' }, handlers);
  assert.deepEqual(seen, [['replace', 'Checked.']]);
  assert.equal(done.answer, 'Checked.');

  seen.length = 0;
  const afterError = fakeFetch(
    json(SESSION),
    sseResponse([
      'event: token\ndata: {"delta":"One."}\n\nevent: error\ndata: {"code":"internal_error","detail":"x"}\n\n',
      'event: replace\ndata: {"text":"late"}\n\nevent: done\ndata: {"conversation_id":"c","message_id":"m","answer":"late"}\n\n',
    ]),
  );
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch: afterError });
  await assert.rejects(client.chat({ message: 'x' }, handlers), (e) => e.code === 'internal_error');
  assert.deepEqual(seen, [['token', 'One.']]);
});

test('chat: a 401 renews the session once and retries', async () => {
  const fetch = fakeFetch(
    json(SESSION),
    problem(401, 'session_expired'),
    json({ ...SESSION, session_token: 'tok2' }),
    sseResponse(['event: done\ndata: {"conversation_id":"c","message_id":"m","answer":"ok"}\n\n']),
  );
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  const done = await client.chat({ message: 'x' }, {});
  assert.equal(done.answer, 'ok');
  assert.equal(fetch.calls[3].headers.Authorization, 'Bearer tok2');
});

test('chat: a second 401 is not retried forever', async () => {
  const fetch = fakeFetch(json(SESSION), problem(401, 'expired'), json(SESSION), problem(401, 'expired'));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.kind === 'rejected' && e.status === 401);
  assert.equal(fetch.calls.length, 4);
});

test('chat: 429 carries Retry-After seconds', async () => {
  const fetch = fakeFetch(json(SESSION), problem(429, 'rate_limited', { 'Retry-After': '12' }));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.kind === 'rate_limited' && e.retryAfter === 12);
});

test('chat: an SSE error event rejects with its code', async () => {
  const fetch = fakeFetch(
    json(SESSION),
    sseResponse(['event: token\ndata: {"delta":"a"}\n\nevent: error\ndata: {"code":"llm_unavailable","detail":"x"}\n\n']),
  );
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.kind === 'error' && e.code === 'llm_unavailable');
});

test('chat: an error after the question was stored carries its ids, as an SSE event and as a 503 problem', async () => {
  const ids = { conversation_id: 'c1', message_id: 'm1' };
  const data = { code: 'shutting_down', detail: 'x', retryable: true, ...ids };
  const restarting = new Response(JSON.stringify({ status: 503, ...data }), {
    status: 503,
    headers: { 'Content-Type': 'application/problem+json' },
  });
  const fetch = fakeFetch(json(SESSION), sseResponse([`event: error\ndata: ${JSON.stringify(data)}\n\n`]), restarting, problem(503, 'shutting_down'));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  const stored = (e) => e.kind === 'error' && e.code === 'shutting_down' && e.conversationId === 'c1' && e.messageId === 'm1';
  await assert.rejects(client.chat({ message: 'x' }, {}), stored);
  await assert.rejects(client.chat({ message: 'x' }, {}), stored);
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.conversationId === null && e.messageId === null);
});

const FALLBACK = 'Our assistant is resting. Email help@shop.example.';

test('chat: quota_exceeded carries the fallback, as a 402 problem and as an SSE error event', async () => {
  const refused = new Response(
    JSON.stringify({ status: 402, code: 'quota_exceeded', detail: 'x', quota: 'messages_per_month', fallback: FALLBACK }),
    { status: 402, headers: { 'Content-Type': 'application/problem+json' } },
  );
  const event = `event: error\ndata: ${JSON.stringify({ code: 'quota_exceeded', detail: 'x', fallback: FALLBACK })}\n\n`;
  const fetch = fakeFetch(json(SESSION), refused, sseResponse([event]));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  const quota = (e) => e instanceof ApiError && e.code === 'quota_exceeded' && e.fallback === FALLBACK;
  await assert.rejects(client.chat({ message: 'x' }, {}), quota);
  await assert.rejects(client.chat({ message: 'x' }, {}), quota);
});

test('chat: other errors carry no fallback, even with a fallback member', async () => {
  const odd = new Response(JSON.stringify({ status: 400, code: 'bad_request', fallback: 'not this' }), {
    status: 400,
    headers: { 'Content-Type': 'application/problem+json' },
  });
  const fetch = fakeFetch(json(SESSION), odd);
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.kind === 'rejected' && e.fallback === null);
});

test('chat: a stream that ends without done is an error', async () => {
  const fetch = fakeFetch(json(SESSION), sseResponse(['event: token\ndata: {"delta":"a"}\n\n']));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.code === 'stream_incomplete');
});

test('chat: a stream that breaks mid-way is an error', async () => {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(enc.encode('event: token\ndata: {"delta":"a"}\n\n'));
      controller.error(new TypeError('network'));
    },
  });
  const fetch = fakeFetch(json(SESSION), new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await assert.rejects(client.chat({ message: 'x' }, {}), (e) => e.code === 'stream_interrupted');
});

test('chat: a plain JSON answer (Accept ignored) is accepted too', async () => {
  const body = { conversation_id: 'c', message_id: 'm', answer: 'ok', sources: [{ product_id: 'p' }] };
  const fetch = fakeFetch(json(SESSION), json(body));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  let sources = null;
  const done = await client.chat({ message: 'x' }, { sources: (s) => (sources = s) });
  assert.equal(done.answer, 'ok');
  assert.deepEqual(sources, [{ product_id: 'p' }]);
});

test('feedback and product_click event bodies; both use keepalive so a navigation cannot cancel them', async () => {
  const fetch = fakeFetch(json(SESSION), new Response(null, { status: 204 }), new Response(null, { status: 202 }));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await client.feedback('m1', 'down');
  await client.event({ type: 'product_click', product_id: 'p1', message_id: 'm1', url: 'https://s.example/p1' });
  assert.equal(fetch.calls[1].url, BASE + '/widget/v1/feedback');
  assert.deepEqual(fetch.calls[1].body, { message_id: 'm1', rating: 'down' });
  assert.equal(fetch.calls[1].init.keepalive, true);
  assert.equal(fetch.calls[2].url, BASE + '/widget/v1/events');
  assert.deepEqual(fetch.calls[2].body, { type: 'product_click', product_id: 'p1', message_id: 'm1', url: 'https://s.example/p1' });
  assert.equal(fetch.calls[2].init.keepalive, true);
  assert.equal(fetch.calls[2].headers.Authorization, 'Bearer tok1');
});

test('session: renewing sends the previous token, so the visitor (and their conversation) is kept', async () => {
  const fetch = fakeFetch(json(SESSION), problem(401, 'session_expired'), json({ ...SESSION, session_token: 'tok2' }), new Response(null, { status: 202 }));
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch });
  await client.event({ type: 'open' });
  assert.deepEqual(fetch.calls[0].body, { widget_key: 'wk' });
  assert.deepEqual(fetch.calls[2].body, { widget_key: 'wk', previous_session_token: 'tok1' });
});

test('forget: DELETE /widget/v1/me with the session, then the session is dropped for a new visitor', async () => {
  const fetch = fakeFetch(json(SESSION), new Response(null, { status: 204 }), json({ ...SESSION, session_token: 'tok2' }));
  const cache = memoryCache();
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch, cache });
  await client.forget();
  assert.equal(fetch.calls[1].url, BASE + '/widget/v1/me');
  assert.equal(fetch.calls[1].init.method, 'DELETE');
  assert.equal(fetch.calls[1].init.body, undefined);
  assert.equal(fetch.calls[1].headers.Authorization, 'Bearer tok1');
  assert.equal(cache.value, null);
  assert.equal((await client.session()).session_token, 'tok2');
  assert.deepEqual(fetch.calls[2].body, { widget_key: 'wk' }, 'no previous token: a new visitor');
});

test('forget: a failure keeps the session, so it can be tried again', async () => {
  const fetch = fakeFetch(json(SESSION), problem(500, 'internal_error'));
  const cache = memoryCache();
  const client = createClient({ base: BASE, widgetKey: 'wk', fetch, cache });
  await assert.rejects(client.forget(), (e) => e.kind === 'error');
  assert.equal(cache.value.session_token, 'tok1');
});
