// The composer: the message box, its "N / 2000" counter near the limit, and the send
// button. It decides when a message may go (not empty, not while an answer streams;
// Enter sends, Shift+Enter and IME composition do not) and hands the text to `send`;
// what happens to it is the chat controller's business.

import { MAX_LENGTH } from './chat.js';

const NEAR_LIMIT = 1800;

/**
 * @param {import('./elements.js').El} el
 * @param {import('./elements.js').Icon} icon
 * @param {(text: string) => void} send
 */
export function createComposer(el, icon, send) {
  const input = /** @type {HTMLTextAreaElement} */ (
    el('textarea', {
      class: 'ta',
      rows: '1',
      maxlength: String(MAX_LENGTH),
      placeholder: 'Ask about our products…',
      'aria-label': 'Message',
      'aria-describedby': 'shopbot-counter',
      dir: 'auto',
      enterkeyhint: 'send',
      'data-testid': 'shopbot-input',
    })
  );
  const counter = el('span', { id: 'shopbot-counter', class: 'n', 'data-testid': 'shopbot-counter', hidden: true });
  const sendButton = /** @type {HTMLButtonElement} */ (
    el('button', { type: 'submit', class: 'b', 'aria-label': 'Send', disabled: true, 'data-testid': 'shopbot-send' }, icon('send'))
  );
  const form = el('form', { class: 'f' }, input, counter, sendButton);

  let busy = false;

  const refresh = () => {
    sendButton.disabled = busy || !input.value.trim();
    const n = input.value.length;
    counter.hidden = n < NEAR_LIMIT;
    counter.textContent = n + ' / ' + MAX_LENGTH;
    counter.className = n >= MAX_LENGTH ? 'n max' : 'n';
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  };

  const submit = () => {
    const text = input.value.trim();
    if (busy || !text) return;
    input.value = '';
    refresh();
    send(text);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('input', refresh);
  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a newline; never send mid-IME composition.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });

  return {
    form,
    input,
    /** @param {boolean} b an answer is streaming: no sending until it is done */
    busy(b) {
      busy = b;
      refresh();
    },
  };
}
