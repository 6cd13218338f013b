// "Delete my conversation": a header button and a confirmation step before the
// caller's erase (DELETE /widget/v1/me, then a fresh start). Its own module so
// ui.js does not grow; ui.js only hands over where it goes.

export const CONFIRM = 'Delete this conversation and everything you sent? This cannot be undone.';
const FAILED = 'Sorry, your conversation could not be deleted. Please try again.';

/**
 * el: the view's element builder (elements.js), shared rather than repeated.
 * @typedef {{
 *   el: import('./elements.js').El,
 *   header: HTMLElement,
 *   close: HTMLElement | null,
 *   form: HTMLElement,
 *   input: HTMLElement,
 *   trash: () => Element,
 * }} Slots
 */

/**
 * @param {Slots} slots
 * @param {() => Promise<void>} erase rejects when nothing was erased
 * @returns {HTMLElement} the confirmation (its Delete and Cancel buttons inside)
 */
export function mountForget(slots, erase) {
  const el = slots.el;
  const button = el(
    'button',
    { type: 'button', class: 'x', 'aria-label': 'Delete my conversation', 'data-testid': 'shopbot-forget' },
    slots.trash(),
  );
  const text = el('span', {}, CONFIRM);
  const yes = /** @type {HTMLButtonElement} */ (el('button', { type: 'button', class: 'rt', 'data-testid': 'shopbot-forget-yes' }, 'Delete'));
  const no = /** @type {HTMLButtonElement} */ (el('button', { type: 'button', class: 'rt', 'data-testid': 'shopbot-forget-no' }, 'Cancel'));
  const box = el('div', { class: 's', role: 'alertdialog', 'aria-label': 'Delete my conversation', 'data-testid': 'shopbot-forget-confirm' }, text, yes, no);
  box.hidden = true;
  slots.header.insertBefore(button, slots.close);
  /** @type {Node} */ (slots.form.parentNode).insertBefore(box, slots.form);

  /** @param {boolean} show */
  const ask = (show) => {
    text.textContent = CONFIRM;
    box.hidden = !show;
    (show ? no : button).focus();
  };
  button.addEventListener('click', () => ask(!!box.hidden));
  no.addEventListener('click', () => ask(false));
  yes.addEventListener('click', async () => {
    yes.disabled = no.disabled = true;
    try {
      await erase();
      ask(false);
    } catch {
      text.textContent = FAILED;
    } finally {
      yes.disabled = no.disabled = false;
    }
  });
  return box;
}
