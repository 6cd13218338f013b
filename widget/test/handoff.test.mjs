import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHandoff, handoffForm, CONSENT_TEXT, POLL_FOR_MS } from '../src/handoff.js';
import { createChat } from '../src/chat.js';
import { createStore } from '../src/store.js';
import { fakeDocument, fakeSlots } from './fake-dom.mjs';

function memoryStorage() {
  const data = new Map();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
}

/** A client whose replies come from `pages` in order; timers are run by hand. */
function setup(pages = []) {
  const calls = { handoff: [], replies: [] };
  const client = {
    async handoff(body) {
      calls.handoff.push(body);
      return { state: 'open' };
    },
    async replies(id, after) {
      calls.replies.push([id, after]);
      const next = pages.shift();
      if (next instanceof Error) throw next;
      return next || { state: 'open', messages: [], poll_after_s: 10 };
    },
  };
  const timers = [];
  let clock = 1000;
  const convo = { conversation_id: 'c1', messages: [], open: true, handoff: null };
  const shown = [];
  let saved = 0;
  const handoff = createHandoff({
    client,
    convo,
    save: () => saved++,
    show: (m) => shown.push(m),
    schedule: (run, ms) => timers.push({ run, ms }),
    now: () => clock,
  });
  const tick = async () => {
    const timer = timers.shift();
    assert.ok(timer, 'a poll is scheduled');
    await timer.run();
    return timer.ms;
  };
  return { handoff, calls, convo, shown, timers, tick, saves: () => saved, advance: (ms) => (clock += ms) };
}

test('handoff: the request sends the email with consent, then replies are polled and shown', async () => {
  const reply = { id: 'm1', content: 'Hi! It ships Monday.', created_at: '2026-12-06T08:00:00Z' };
  const t = setup([{ state: 'open', messages: [reply], poll_after_s: 15 }]);
  t.handoff.setOpen(true);
  assert.equal(t.timers.length, 0, 'nothing to poll before a request');
  await t.handoff.request('pat@example.org', 'About my order');
  assert.deepEqual(t.calls.handoff, [
    { conversation_id: 'c1', email: 'pat@example.org', consent: true, message: 'About my order' },
  ]);
  assert.equal(await t.tick(), 0);
  assert.deepEqual(t.calls.replies, [['c1', null]]);
  assert.deepEqual(t.shown, [{ role: 'merchant', text: 'Hi! It ships Monday.' }]);
  assert.deepEqual(t.convo.messages, t.shown);
  assert.equal(t.timers[0].ms, 15000, 'the pace the server asks for');
  await t.tick();
  assert.deepEqual(t.calls.replies[1], ['c1', reply.created_at], 'only what is new');
});

test('handoff: polling stops when the widget closes, the store closes it, or time is up', async () => {
  const closed = setup([{ state: 'closed', messages: [], poll_after_s: 10 }]);
  closed.handoff.setOpen(true);
  await closed.handoff.request('pat@example.org');
  await closed.tick();
  assert.equal(closed.timers.length, 0);
  assert.equal(closed.convo.handoff.state, 'closed');

  const hidden = setup();
  hidden.handoff.setOpen(true);
  await hidden.handoff.request('pat@example.org');
  hidden.handoff.setOpen(false);
  await hidden.tick();
  assert.equal(hidden.calls.replies.length, 0, 'no request while the widget is closed');
  hidden.handoff.setOpen(true);
  assert.equal(hidden.timers.length, 1, 'reopening resumes');

  const late = setup();
  late.handoff.setOpen(true);
  await late.handoff.request('pat@example.org');
  late.advance(POLL_FOR_MS + 1);
  await late.tick();
  assert.equal(late.calls.replies.length, 0, 'after that, replies come by email');
});

test('handoff: a failed poll backs off instead of hammering the API', async () => {
  const t = setup([Object.assign(new Error('rate_limited'), { retryAfter: 45 })]);
  t.handoff.setOpen(true);
  await t.handoff.request('pat@example.org');
  await t.tick();
  assert.equal(t.timers[0].ms, 45000);
});

test('handoff form: email and the consent box are required; thanks replace it once sent', async () => {
  const doc = fakeDocument({ forbidHTML: true });
  const { el } = fakeSlots(doc);
  const sent = [];
  const form = handoffForm(el, async (email) => sent.push(email));
  const [email, label] = form.childNodes;
  assert.equal(email.getAttribute('type'), 'email');
  assert.ok(label.textContent.includes(CONSENT_TEXT));
  const checkbox = label.childNodes[0];
  const submit = () => Promise.all(form.listeners.submit.map((fn) => fn({ preventDefault() {} })));

  email.value = 'pat@example.org';
  await submit();
  assert.deepEqual(sent, [], 'no consent, nothing sent');
  checkbox.checked = true;
  await submit();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(sent, ['pat@example.org']);
  assert.equal(form.childNodes[0].getAttribute('data-testid'), 'shopbot-handoff-sent');
});

test('handoff form: a refused request says so and keeps the form', async () => {
  const { el } = fakeSlots(fakeDocument());
  const form = handoffForm(el, async () => {
    throw new Error('422');
  });
  const [email, label] = form.childNodes;
  email.value = 'pat@example.org';
  label.childNodes[0].checked = true;
  await Promise.all(form.listeners.submit.map((fn) => fn({ preventDefault() {} })));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.match(form.textContent, /Could not send/);
  assert.equal(form.childNodes[0], email);
});

test('chat: an answer that offers a hand-off shows the form; one that does not, does not', async () => {
  const offers = [];
  const answers = [
    { conversation_id: 'c9', message_id: 'm1', answer: 'Here you go.' },
    { conversation_id: 'c9', message_id: 'm2', answer: 'A person can reply.', handoff: { offered: true } },
  ];
  const view = { add: () => ({ text() {}, sources() {}, finish() {}, remove() {} }), busy() {}, status() {} };
  const chat = createChat({
    client: { chat: async () => answers.shift() },
    store: createStore(memoryStorage, 'wk'),
    view,
    page: () => ({ url: 'https://s.example/' }),
    offer: () => offers.push(true),
  });
  await chat.ask('tents?');
  assert.equal(offers.length, 0);
  await chat.ask('talk to a person');
  assert.equal(offers.length, 1);
});

test('store: merchant replies and the open hand-off survive a navigation', () => {
  const storage = memoryStorage();
  const store = createStore(() => storage, 'wk');
  store.saveConversation({
    conversation_id: 'c1',
    messages: [{ role: 'merchant', text: 'Hello from the store' }],
    open: true,
    handoff: { state: 'open', after: '2026-12-06T08:00:00Z', until: 5 },
  });
  const back = store.loadConversation();
  assert.deepEqual(back.messages, [{ role: 'merchant', text: 'Hello from the store' }]);
  assert.equal(back.handoff.state, 'open');
});
