import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, MAX_MESSAGES } from '../src/store.js';

function memoryStorage() {
  const data = new Map();
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

test('round-trips a conversation keyed by widget key, without snippets', () => {
  const storage = memoryStorage();
  const a = createStore(() => storage, 'wk_a');
  const b = createStore(() => storage, 'wk_b');
  a.saveConversation({
    conversation_id: 'c1',
    open: true,
    messages: [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello', id: 'm1', rating: 'up', sources: [{ product_id: 1, title: 'Sock', snippet: 'long…' }] },
    ],
  });
  assert.ok(storage.data.has('shopbot:wk_a'));
  const back = a.loadConversation();
  assert.equal(back.conversation_id, 'c1');
  assert.equal(back.open, true);
  assert.deepEqual(back.messages[1], { role: 'assistant', text: 'hello', id: 'm1', rating: 'up', sources: [{ product_id: 1, title: 'Sock' }] });
  assert.deepEqual(b.loadConversation(), { conversation_id: null, messages: [], open: false });
});

test('keeps only the last messages', () => {
  const storage = memoryStorage();
  const s = createStore(() => storage, 'wk');
  const messages = Array.from({ length: MAX_MESSAGES + 10 }, (_, i) => ({ role: 'user', text: String(i) }));
  s.saveConversation({ conversation_id: null, open: false, messages });
  const back = s.loadConversation().messages;
  assert.equal(back.length, MAX_MESSAGES);
  assert.equal(back[0].text, '10');
});

test('survives missing, throwing or corrupt storage', () => {
  const throwing = createStore(() => {
    throw new Error('SecurityError');
  }, 'wk');
  throwing.saveConversation({ conversation_id: 'x', open: false, messages: [] });
  assert.deepEqual(throwing.loadConversation(), { conversation_id: null, messages: [], open: false });
  assert.equal(throwing.loadSession(), null);

  const storage = memoryStorage();
  storage.setItem('shopbot:wk', '{not json');
  storage.setItem('shopbot:wk:session', '{"nope":1}');
  const s = createStore(() => storage, 'wk');
  assert.deepEqual(s.loadConversation().messages, []);
  assert.equal(s.loadSession(), null);

  storage.setItem('shopbot:wk', JSON.stringify({ messages: [{ role: 'system', text: 'x' }, { role: 'user', text: 1 }, { role: 'user', text: 'ok' }] }));
  assert.deepEqual(s.loadConversation().messages, [{ role: 'user', text: 'ok' }]);
});

test('session cache', () => {
  const storage = memoryStorage();
  const s = createStore(() => storage, 'wk');
  s.saveSession({ session_token: 't', expires_at: '2030-01-01T00:00:00Z', bot: { name: 'B' } });
  assert.equal(s.loadSession().session_token, 't');
});

test('clear forgets the conversation and the session of this widget key only', () => {
  const storage = memoryStorage();
  const a = createStore(() => storage, 'wk_a');
  const b = createStore(() => storage, 'wk_b');
  for (const s of [a, b]) {
    s.saveConversation({ conversation_id: 'c1', open: true, messages: [{ role: 'user', text: 'hi' }] });
    s.saveSession({ session_token: 't' });
  }
  a.clear();
  assert.deepEqual(a.loadConversation(), { conversation_id: null, messages: [], open: false });
  assert.equal(a.loadSession(), null);
  assert.equal(b.loadSession().session_token, 't');
  createStore(() => null, 'wk_a').clear(); // no storage: nothing to do, no throw
});
