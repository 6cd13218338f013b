// The consent bar. A bot that must ask before a conversation is kept
// (`consent_required` in the session's bot) shows its question above the
// composer until the shopper answers; index.js stores the answer per bot and
// the chat sends it with every question. Until then the answer is "no": the
// shopper can ask at once, and nothing is kept.

export const DEFAULT_CONSENT = 'May we save this chat to improve our answers?';

/**
 * @param {import('./forget.js').Slots} slots
 * @param {string | null | undefined} text the bot's own question, if it has one
 * @param {(allowed: boolean) => void} decide
 */
export function mountConsent(slots, text, decide) {
  const el = slots.el;
  const button = (/** @type {string} */ label, /** @type {boolean} */ allowed) => {
    const b = el('button', { type: 'button', class: 'rt', 'data-testid': 'shopbot-consent-' + allowed }, label);
    b.addEventListener('click', () => {
      box.remove();
      // The bar (and the focused button) is gone: keep keyboard focus in the widget.
      slots.input.focus();
      decide(allowed);
    });
    return b;
  };
  const box = el(
    'div',
    { class: 's', role: 'region', 'aria-label': 'Privacy', 'data-testid': 'shopbot-consent' },
    el('span', {}, (text && text.trim()) || DEFAULT_CONSENT),
    button('Allow', true),
    button('No thanks', false),
  );
  /** @type {Node} */ (slots.form.parentNode).insertBefore(box, slots.form);
  return box;
}
