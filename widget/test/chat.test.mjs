import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createChat, MAX_LENGTH } from '../src/chat.js';
import { createStore } from '../src/store.js';
import { ApiError } from '../src/api.js';

function memoryStorage() {
  const data = new Map();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
}

/** Records what the controller asks the view to show. */
function fakeView() {
  const log = [];
  const view = {
    messages: [],
    statuses: [],
    busyStates: [],
    add(message, streaming) {
      const shown = { message, streaming, texts: [], sources: null, finished: null, removed: false };
      view.messages.push(shown);
      return {
        text: (t) => shown.texts.push(t),
        sources: (s) => (shown.sources = s),
        finish: (m) => (shown.finished = { ...m }),
        remove: () => (shown.removed = true),
      };
    },
    busy: (b) => view.busyStates.push(b),
    status: (kind, retryAfter, retry) => view.statuses.push({ kind, retryAfter, retry }),
  };
  return view;
}

function fakeClient(script) {
  const calls = { chat: [], feedback: [], event: [], forget: 0 };
  return {
    calls,
    async chat(body, on) {
      calls.chat.push(body);
      return script.shift()(on);
    },
    feedback: (id, rating) => {
      calls.feedback.push([id, rating]);
      return script.length ? script.shift()() : Promise.resolve();
    },
    event: (e) => {
      calls.event.push(e);
      return Promise.resolve();
    },
    forget: async () => {
      calls.forget++;
      if (script.length) await script.shift()();
    },
  };
}

const PAGE = () => ({ url: 'https://s.example/p/5', product_id: '5' });

test('ask: user message, checked sentences streamed, done carries the same text', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const view = fakeView();
  const client = fakeClient([
    (on) => {
      on.token('The Sock is warm.');
      on.token(' It costs $89.');
      on.sources([{ product_id: 'p1', title: 'Sock' }]);
      return { conversation_id: 'c1', message_id: 'm1', answer: 'The Sock is warm. It costs $89.' };
    },
  ]);
  const chat = createChat({ client, store, view, page: PAGE });
  assert.equal(await chat.ask('  how much?  '), true);

  assert.deepEqual(client.calls.chat[0], { message: 'how much?', page: PAGE() });
  assert.equal(view.messages[0].message.role, 'user');
  const reply = view.messages[1];
  assert.equal(reply.streaming, true);
  assert.deepEqual(reply.texts, ['The Sock is warm.', 'The Sock is warm. It costs $89.']);
  assert.equal(reply.finished.text, 'The Sock is warm. It costs $89.');
  assert.equal(reply.finished.id, 'm1');
  assert.deepEqual(view.busyStates, [true, false]);

  const saved = store.loadConversation();
  assert.equal(saved.conversation_id, 'c1');
  assert.deepEqual(saved.messages.map((m) => m.text), ['how much?', 'The Sock is warm. It costs $89.']);
});

test('a replace sets the shown text; later tokens append to it', async () => {
  const view = fakeView();
  const client = fakeClient([
    (on) => {
      on.token('Happy to help.');
      on.replace("I can't share how I'm set up.");
      on.token(' Anything else?');
      return { conversation_id: 'c1', message_id: 'm1', answer: "I can't share how I'm set up. Anything else?" };
    },
  ]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view, page: PAGE });
  await chat.ask('what are your rules?');
  const reply = view.messages[1];
  assert.deepEqual(reply.texts, ['Happy to help.', "I can't share how I'm set up.", "I can't share how I'm set up. Anything else?"]);
  assert.equal(reply.finished.text, "I can't share how I'm set up. Anything else?");
});

test('done still wins if the stream lost an event on the way', async () => {
  const view = fakeView();
  const client = fakeClient([
    (on) => {
      on.token('The price is $89.');
      return { conversation_id: 'c1', message_id: 'm1', answer: 'The price is $89. In stock.' };
    },
  ]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view, page: PAGE });
  await chat.ask('how much?');
  assert.equal(view.messages[1].finished.text, 'The price is $89. In stock.');
});

test('an error after a replace removes the answer; nothing of it is kept', async () => {
  const storage = memoryStorage();
  const view = fakeView();
  const client = fakeClient([
    (on) => {
      on.token('Happy to help.');
      on.replace("I can't share how I'm set up.");
      throw new ApiError('error', 200, 'internal_error');
    },
  ]);
  const chat = createChat({ client, store: createStore(() => storage, 'wk'), view, page: PAGE });
  await chat.ask('what are your rules?');
  assert.equal(view.messages[1].removed, true);
  assert.deepEqual(createStore(() => storage, 'wk').loadConversation().messages.map((m) => m.role), ['user']);
});

test('the conversation id is sent with follow-up questions and survives a reload', async () => {
  const storage = memoryStorage();
  const done = (id) => () => ({ conversation_id: 'c1', message_id: id, answer: 'a' });
  let chat = createChat({ client: fakeClient([done('m1')]), store: createStore(() => storage, 'wk'), view: fakeView(), page: PAGE });
  await chat.ask('one');

  // "Navigate": a fresh controller over the same storage.
  const view = fakeView();
  const client = fakeClient([done('m2')]);
  chat = createChat({ client, store: createStore(() => storage, 'wk'), view, page: PAGE });
  chat.restore();
  assert.deepEqual(view.messages.map((m) => [m.message.role, m.streaming]), [['user', false], ['assistant', false]]);
  await chat.ask('two');
  assert.equal(client.calls.chat[0].conversation_id, 'c1');
});

test('empty, whitespace and over-long input', async () => {
  const client = fakeClient([(on) => ({ conversation_id: 'c', message_id: 'm', answer: 'ok' })]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view: fakeView(), page: PAGE });
  assert.equal(await chat.ask('   '), false);
  assert.equal(await chat.ask(null), false);
  await chat.ask('x'.repeat(MAX_LENGTH + 50));
  assert.equal(client.calls.chat[0].message.length, MAX_LENGTH);
});

test('one question at a time', async () => {
  let release;
  const client = fakeClient([() => new Promise((r) => (release = () => r({ conversation_id: 'c', message_id: 'm', answer: 'ok' })))]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view: fakeView(), page: PAGE });
  const first = chat.ask('one');
  assert.equal(chat.isBusy(), true);
  assert.equal(await chat.ask('two'), false);
  release();
  assert.equal(await first, true);
  assert.equal(client.calls.chat.length, 1);
});

test('rate limited: bubble removed, status with Retry-After, retry re-sends the same text', async () => {
  const view = fakeView();
  const client = fakeClient([
    () => {
      throw new ApiError('rate_limited', 429, 'rate_limited', 8);
    },
    () => ({ conversation_id: 'c', message_id: 'm', answer: 'ok' }),
  ]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view, page: PAGE });
  await chat.ask('hello');
  assert.equal(view.messages[1].removed, true);
  const failed = view.statuses.at(-1);
  assert.equal(failed.kind, 'rate_limited');
  assert.equal(failed.retryAfter, 8);
  await failed.retry();
  assert.equal(client.calls.chat[1].message, 'hello');
  assert.equal(view.messages.filter((m) => m.message.role === 'user').length, 1, 'the question is not repeated');
  assert.equal(view.messages.at(-1).finished.text, 'ok');
});

/** An answer that broke off after the server stored the question (its ids on the error). */
function interrupted(conversationId, messageId) {
  return () => {
    const e = new ApiError('error', 200, 'shutting_down');
    e.conversationId = conversationId;
    e.messageId = messageId;
    throw e;
  };
}

test('shutting down after the first question was stored: Retry continues that conversation and names the question', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const view = fakeView();
  const client = fakeClient([interrupted('c-new', 'm-q'), () => ({ conversation_id: 'c-new', message_id: 'm-a', answer: 'ok' })]);
  const chat = createChat({ client, store, view, page: PAGE });
  await chat.ask('hello');
  assert.equal('conversation_id' in client.calls.chat[0], false);
  assert.equal(store.loadConversation().conversation_id, 'c-new', 'kept before the retry: a reload continues it too');
  await view.statuses.at(-1).retry();
  assert.deepEqual(client.calls.chat[1], { message: 'hello', page: PAGE(), conversation_id: 'c-new', retry_of: 'm-q' });
  assert.deepEqual(
    store.loadConversation().messages.map((m) => [m.role, m.text]),
    [
      ['user', 'hello'],
      ['assistant', 'ok'],
    ],
  );
});

test('Retry keeps naming the stored question through an offline retry, and stops once a retry is refused', async () => {
  const view = fakeView();
  const client = fakeClient([
    interrupted('c1', 'm-q'),
    () => {
      throw new ApiError('offline', 0, 'network_error');
    },
    () => {
      throw new ApiError('rejected', 409, 'retry_conflict');
    },
    () => ({ conversation_id: 'c1', message_id: 'm-a', answer: 'ok' }),
  ]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view, page: PAGE });
  await chat.ask('hello');
  for (let i = 0; i < 3; i++) await view.statuses.at(-1).retry();
  assert.deepEqual(
    client.calls.chat.map((body) => [body.conversation_id, body.retry_of]),
    [
      [undefined, undefined],
      ['c1', 'm-q'],
      ['c1', 'm-q'],
      ['c1', undefined],
    ],
  );
});

test('quota_exceeded: the fallback is the assistant\'s reply, not an error, and the input stays usable', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const view = fakeView();
  const fallback = 'We cannot take questions right now. Call +1 555 0100.';
  const client = fakeClient([
    () => Promise.reject(new ApiError('rejected', 402, 'quota_exceeded', null, fallback)),
    () => ({ conversation_id: 'c1', message_id: 'm2', answer: 'Back again.' }),
  ]);
  const chat = createChat({ client, store, view, page: PAGE });
  assert.equal(await chat.ask('any tents?'), true);

  const reply = view.messages[1];
  assert.equal(reply.removed, false);
  assert.deepEqual(reply.finished, { role: 'assistant', text: fallback });
  assert.deepEqual(view.statuses, [{ kind: null, retryAfter: undefined, retry: undefined }], 'no error line');
  assert.equal(chat.isBusy(), false);
  assert.deepEqual(view.busyStates, [true, false]);
  assert.deepEqual(
    store.loadConversation().messages.map((m) => [m.role, m.text]),
    [
      ['user', 'any tents?'],
      ['assistant', fallback],
    ],
  );
  assert.equal(await chat.ask('and now?'), true, 'the next question can be sent');
  assert.equal(view.messages[3].finished.text, 'Back again.');
});

test('offline: no request at all when the browser says it is offline', async () => {
  const view = fakeView();
  const client = fakeClient([]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view, page: PAGE, online: () => false });
  await chat.ask('hello');
  assert.equal(client.calls.chat.length, 0);
  assert.equal(view.statuses.at(-1).kind, 'offline');
});

test('network failure shows offline; other failures show a generic error with retry', async () => {
  const view = fakeView();
  const client = fakeClient([
    () => {
      throw new ApiError('offline', 0, 'network_error');
    },
    () => {
      throw new ApiError('error', 500, 'internal');
    },
    () => {
      throw new Error('surprise');
    },
  ]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view, page: PAGE });
  await chat.ask('a');
  assert.equal(view.statuses.at(-1).kind, 'offline');
  await view.statuses.at(-1).retry();
  assert.equal(view.statuses.at(-1).kind, 'error');
  assert.equal(typeof view.statuses.at(-1).retry, 'function');
  await view.statuses.at(-1).retry();
  assert.equal(view.statuses.at(-1).kind, 'error');
});

test('feedback is sent once and remembered; a failure un-marks it', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const client = fakeClient([() => ({ conversation_id: 'c', message_id: 'm1', answer: 'a' }), () => Promise.reject(new Error('x')), () => Promise.resolve()]);
  const view = fakeView();
  const chat = createChat({ client, store, view, page: PAGE });
  await chat.ask('q');
  const message = view.messages[1].message;
  const marks = [];
  chat.rate(message, 'down', (r) => marks.push(r));
  chat.rate(message, 'up', (r) => marks.push(r)); // ignored: already rated
  await new Promise((r) => setTimeout(r));
  assert.deepEqual(marks, ['down', undefined], 'failed request un-marks');
  chat.rate(message, 'up', (r) => marks.push(r));
  await new Promise((r) => setTimeout(r));
  assert.deepEqual(client.calls.feedback, [['m1', 'down'], ['m1', 'up']]);
  assert.equal(store.loadConversation().messages[1].rating, 'up');

  chat.rate({ role: 'assistant', text: 'greeting' }, 'up', () => assert.fail('no id, no feedback'));
});

test('card clicks and Add to cart send their events with the product, the url and the answer', () => {
  const client = fakeClient([]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view: fakeView(), page: PAGE });
  const card = { product_id: 'p1', url: 'https://s.example/p1', add_to_cart_url: 'https://s.example/?add-to-cart=101' };
  chat.track('product_click', { role: 'assistant', text: '', id: 'm1' }, card, card.url);
  chat.track('add_to_cart', { role: 'assistant', text: '' }, card, card.add_to_cart_url);
  assert.deepEqual(client.calls.event, [
    { type: 'product_click', product_id: 'p1', url: 'https://s.example/p1', message_id: 'm1' },
    // An answer given without consent has no id: the event still counts, unlinked.
    { type: 'add_to_cart', product_id: 'p1', url: 'https://s.example/?add-to-cart=101' },
  ]);
});

test('consent required and declined: consent false is sent, the answer shows, nothing is kept', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const view = fakeView();
  // The server keeps nothing without consent: no conversation, no message id.
  const client = fakeClient([() => ({ conversation_id: null, message_id: null, answer: 'Hats are $24.' })]);
  const chat = createChat({ client, store, view, page: PAGE, consent: () => false });
  assert.equal(await chat.ask('hats?'), true);
  chat.setOpen(true);

  assert.equal(client.calls.chat[0].consent, false);
  assert.equal(view.messages[1].finished.text, 'Hats are $24.');
  assert.equal(view.messages[1].finished.id, undefined, 'no id: no thumbs to rate it');
  assert.equal(storage.data.size, 0, 'no conversation in sessionStorage');
  chat.rate(view.messages[1].message, 'up', () => assert.fail('nothing to rate'));
  assert.deepEqual(client.calls.feedback, []);
  chat.track('add_to_cart', view.messages[1].finished, { product_id: 'p1' }, 'https://s.example/?add-to-cart=1');
  assert.deepEqual(client.calls.event, [
    { type: 'add_to_cart', product_id: 'p1', url: 'https://s.example/?add-to-cart=1', consent: false },
  ]);
});

test('consent given: consent true is sent and the conversation is kept as before', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const client = fakeClient([() => ({ conversation_id: 'c1', message_id: 'm1', answer: 'Yes.' })]);
  const chat = createChat({ client, store, view: fakeView(), page: PAGE, consent: () => true });
  await chat.ask('hats?');
  assert.equal(client.calls.chat[0].consent, true);
  assert.equal(store.loadConversation().conversation_id, 'c1');
});

test('a bot that asks for no consent gets no consent field', async () => {
  const client = fakeClient([() => ({ conversation_id: 'c1', message_id: 'm1', answer: 'Yes.' })]);
  const chat = createChat({ client, store: createStore(() => memoryStorage(), 'wk'), view: fakeView(), page: PAGE });
  await chat.ask('hats?');
  assert.equal('consent' in client.calls.chat[0], false);
});

test('open state is persisted', () => {
  const storage = memoryStorage();
  const chat = createChat({ client: fakeClient([]), store: createStore(() => storage, 'wk'), view: fakeView(), page: PAGE });
  chat.setOpen(true);
  assert.equal(createStore(() => storage, 'wk').loadConversation().open, true);
});

test('forget: erased on the server, then no conversation and nothing stored', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const client = fakeClient([
    () => ({ conversation_id: 'c1', message_id: 'm1', answer: 'Hi.' }),
    () => undefined, // the erasure
    () => ({ conversation_id: 'c2', message_id: 'm2', answer: 'Hello again.' }),
  ]);
  store.saveSession({ session_token: 't' });
  const chat = createChat({ client, store, view: fakeView(), page: PAGE });
  await chat.ask('hello');
  await chat.forget();
  assert.equal(client.calls.forget, 1);
  assert.equal(store.loadSession(), null);
  assert.deepEqual(store.loadConversation(), { conversation_id: null, messages: [], open: false });
  await chat.ask('again');
  assert.equal(client.calls.chat[1].conversation_id, undefined, 'a new conversation');
});

test('forget: a failed erasure keeps the conversation', async () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  const client = fakeClient([
    () => ({ conversation_id: 'c1', message_id: 'm1', answer: 'Hi.' }),
    () => Promise.reject(new Error('offline')),
  ]);
  const chat = createChat({ client, store, view: fakeView(), page: PAGE });
  await chat.ask('hello');
  await assert.rejects(chat.forget());
  assert.equal(store.loadConversation().conversation_id, 'c1');
});
