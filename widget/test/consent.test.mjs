import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountConsent, DEFAULT_CONSENT } from '../src/consent.js';
import { createStore } from '../src/store.js';
import { fakeDocument, fakeSlots } from './fake-dom.mjs';

function mount(text) {
  const doc = fakeDocument({ forbidHTML: true });
  const slots = fakeSlots(doc);
  const answers = [];
  const box = mountConsent(slots, text, (allowed) => answers.push(allowed));
  const [, allow, decline] = box.childNodes;
  return { doc, slots, box, allow, decline, answers };
}

test('consent: the bot\'s question above the composer, with Allow and No thanks', () => {
  const { slots, box, allow, decline } = mount('We keep chats for 30 days. OK?');
  assert.equal(slots.panel.childNodes.indexOf(box), slots.panel.childNodes.indexOf(slots.form) - 1);
  assert.equal(box.getAttribute('data-testid'), 'shopbot-consent');
  assert.equal(box.textContent, 'We keep chats for 30 days. OK?AllowNo thanks');
  assert.equal(allow.tagName, 'BUTTON');
  assert.equal(allow.getAttribute('type'), 'button');
  assert.equal(decline.textContent, 'No thanks');
});

test('consent: a short default question when the bot has none', () => {
  for (const text of [null, undefined, '   ']) {
    assert.ok(mount(text).box.textContent.startsWith(DEFAULT_CONSENT), String(text));
  }
});

test('consent: an answer hides the bar, reports the choice and keeps focus in the widget', async () => {
  const declined = mount(null);
  await declined.decline.click();
  assert.deepEqual(declined.answers, [false]);
  assert.equal(declined.slots.panel.childNodes.includes(declined.box), false);
  assert.equal(declined.doc.activeElement, declined.slots.input);

  const allowed = mount(null);
  await allowed.allow.click();
  assert.deepEqual(allowed.answers, [true]);
});

test('consent: the choice is kept per widget key in the lasting storage, not the tab\'s', () => {
  const tab = new Map();
  const lasting = new Map();
  const storage = (data) => () => ({ getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) });
  const a = createStore(storage(tab), 'wk_a', storage(lasting));
  const b = createStore(storage(tab), 'wk_b', storage(lasting));
  assert.equal(a.loadConsent(), null, 'not asked yet');
  a.saveConsent(false);
  assert.equal(a.loadConsent(), false);
  assert.equal(b.loadConsent(), null, 'another bot asks for itself');
  assert.equal(tab.size, 0);
  a.clear(); // "delete my conversation" forgets the conversation, not the answer
  assert.equal(a.loadConsent(), false);
  lasting.set('shopbot:wk_b:consent', '"yes"');
  assert.equal(b.loadConsent(), null, 'anything but a boolean is no answer');
});
