// The thumbs up / down under a finished answer: two toggle buttons (aria-pressed).
// The chat controller decides what they show through `mark` (pressed and both
// disabled once a rating is sent, un-marked if sending it fails), so this module
// draws the state and keeps none of its own.

/**
 * @param {import('./elements.js').El} el
 * @param {import('./elements.js').Icon} icon
 * @param {import('./store.js').Message} message the answer being rated (its id and any earlier rating)
 * @param {Pick<import('./ui.js').Actions, 'rate'>} actions
 */
export function thumbs(el, icon, message, actions) {
  const box = el('div', { class: 'fb', role: 'group', 'aria-label': 'Was this answer helpful?' });
  /** @type {[HTMLElement, 'up' | 'down'][]} */
  const buttons = [];
  /** @param {'up' | 'down'} [rating] */
  const mark = (rating) => {
    for (const [b, value] of buttons) {
      b.setAttribute('aria-pressed', String(rating === value));
      b.setAttribute('aria-disabled', String(!!rating));
    }
  };
  for (const [value, label] of /** @type {const} */ ([
    ['up', 'Helpful'],
    ['down', 'Not helpful'],
  ])) {
    const b = el(
      'button',
      { type: 'button', class: 'tb ' + value, 'aria-label': label, 'data-testid': 'shopbot-thumbs-' + value },
      icon('thumb'),
    );
    b.addEventListener('click', () => actions.rate(message, value, mark));
    buttons.push([b, value]);
    box.append(b);
  }
  mark(message.rating);
  return box;
}
