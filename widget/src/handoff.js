// Hand-off to a person. When an answer offers one (`done.handoff.offered`), a small form
// under it asks for the shopper's email and their consent; once sent, the widget polls
// for the store's replies, only while the widget is open and the hand-off is open, at the
// pace the server asks for, and for at most POLL_FOR_MS after the request (the store's
// replies after that arrive by email). Replies show as messages "from the store".

export const CONSENT_TEXT = 'The store may keep my email to reply to me.';
export const POLL_FOR_MS = 30 * 60 * 1000;

/**
 * @typedef {import('./store.js').Conversation} Conversation
 * @typedef {import('./store.js').Message} Message
 * @typedef {{ id: string, content: string, created_at: string }} Reply
 * @typedef {{
 *   handoff(body: Record<string, unknown>): Promise<unknown>,
 *   replies(conversationId: string, after: string | null): Promise<{ state: string | null, messages: Reply[], poll_after_s?: number }>,
 * }} HandoffClient
 */

/**
 * @param {{
 *   client: HandoffClient,
 *   convo: Conversation,
 *   save: () => void,
 *   show: (message: Message) => void,
 *   schedule?: (run: () => void, ms: number) => unknown,
 *   now?: () => number,
 * }} deps
 */
export function createHandoff({ client, convo, save, show, schedule = setTimeout, now = Date.now }) {
  let open = false;
  let waiting = false;

  const active = () => {
    const h = convo.handoff;
    return !!h && h.state === 'open' && now() < h.until && !!convo.conversation_id;
  };

  /** @param {number} seconds */
  function later(seconds) {
    if (waiting || !open || !active()) return;
    waiting = true;
    schedule(poll, seconds * 1000);
  }

  async function poll() {
    waiting = false;
    const h = convo.handoff;
    if (!h || !open || !active()) return;
    let wait = 10;
    try {
      const page = await client.replies(/** @type {string} */ (convo.conversation_id), h.after);
      for (const reply of page.messages) {
        h.after = reply.created_at;
        /** @type {Message} */
        const message = { role: 'merchant', text: reply.content };
        convo.messages.push(message);
        show(message);
      }
      if (page.state) h.state = page.state;
      wait = page.poll_after_s || wait;
      save();
    } catch (e) {
      wait = Math.max(30, (e && /** @type {any} */ (e).retryAfter) || 0);
    }
    later(wait);
  }

  return {
    /**
     * @param {string} email
     * @param {string} [note]
     */
    async request(email, note) {
      /** @type {Record<string, unknown>} */
      const body = { conversation_id: convo.conversation_id, email, consent: true };
      if (note) body.message = note;
      await client.handoff(body);
      convo.handoff = { state: 'open', after: null, until: now() + POLL_FOR_MS };
      save();
      later(0);
    },
    /** @param {boolean} isOpen */
    setOpen(isOpen) {
      open = isOpen;
      later(0);
    },
  };
}

/**
 * The form under the offer: email, consent, send. Thanks replace it once sent.
 * @param {(tag: string, attrs?: Record<string, string | boolean>, ...children: (Node | string)[]) => HTMLElement} el
 * @param {(email: string) => Promise<void>} send
 */
export function handoffForm(el, send) {
  const email = /** @type {HTMLInputElement} */ (
    el('input', { type: 'email', required: true, autocomplete: 'email', placeholder: 'Your email', 'aria-label': 'Your email', 'data-testid': 'shopbot-handoff-email' })
  );
  const agree = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', required: true, 'data-testid': 'shopbot-handoff-consent' }));
  const note = el('span', { role: 'status' });
  const form = el(
    'form',
    { class: 'ho', 'data-testid': 'shopbot-handoff' },
    email,
    el('label', {}, agree, ' ' + CONSENT_TEXT),
    el('button', { type: 'submit', class: 'rt' }, 'Ask a person'),
    note,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!agree.checked || !email.value.trim()) return;
    send(email.value.trim()).then(
      () => {
        form.textContent = '';
        form.append(el('span', { role: 'status', 'data-testid': 'shopbot-handoff-sent' }, 'Thanks! The store will reply here or by email.'));
      },
      () => (note.textContent = 'Could not send. Try again.'),
    );
  });
  return form;
}
