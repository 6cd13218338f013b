import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountForget, CONFIRM } from '../src/forget.js';
import { fakeDocument, fakeSlots } from './fake-dom.mjs';

function mount(erase) {
  const doc = fakeDocument({ forbidHTML: true });
  const slots = fakeSlots(doc);
  const box = mountForget(slots, erase);
  // Found where a shopper finds them: the button first in the header, Delete and Cancel
  // after the question in the confirmation.
  const [button] = slots.header.childNodes;
  const [, yes, no] = box.childNodes;
  return { doc, ...slots, button, box, yes, no };
}

test('forget: a header button before the close button, a hidden confirmation before the form', () => {
  const { header, close, panel, form, button, box } = mount(async () => {});
  assert.deepEqual(header.childNodes, [button, close]);
  assert.equal(button.getAttribute('aria-label'), 'Delete my conversation');
  assert.equal(panel.childNodes.indexOf(box), panel.childNodes.indexOf(form) - 1);
  assert.equal(box.hidden, true);
  assert.equal(box.getAttribute('role'), 'alertdialog');
});

test('forget: nothing is erased until the shopper confirms; Cancel closes the question', async () => {
  let erased = 0;
  const { doc, button, box, no } = mount(async () => void erased++);
  await button.click();
  assert.equal(box.hidden, false);
  assert.ok(box.textContent.startsWith(CONFIRM));
  assert.equal(CONFIRM, 'Delete this conversation and everything you sent? This cannot be undone.');
  assert.equal(doc.activeElement, no, 'focus on the safe choice');
  await no.click();
  assert.equal(box.hidden, true);
  assert.equal(doc.activeElement, button);
  assert.equal(erased, 0);
});

test('forget: confirming erases once and closes; a failure says so and keeps the question', async () => {
  const results = [Promise.reject(new Error('offline')), Promise.resolve()];
  let calls = 0;
  const { button, box, yes } = mount(() => (calls++, results.shift()));
  await button.click();
  await yes.click();
  assert.equal(calls, 1);
  assert.equal(box.hidden, false);
  assert.match(box.textContent, /could not be deleted/);
  assert.equal(yes.disabled, false, 'it can be tried again');
  await yes.click();
  assert.equal(calls, 2);
  assert.equal(box.hidden, true);
});
