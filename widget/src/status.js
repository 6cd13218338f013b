// The status line between the log and the composer: offline, rate-limited or busy (with the
// wait from Retry-After, and no Retry button until it has passed) or a failed answer,
// each with a Retry that re-runs what failed. The chat controller says which; this
// module owns the wording, so no server text is ever shown to the shopper.

/**
 * @param {import('./elements.js').El} el
 * @param {Window} win
 * @param {ShadowRoot} root the widget's shadow root (where focus is looked up)
 * @param {() => void} keepFocus where focus goes when the focused Retry button disappears
 */
export function createStatusLine(el, win, root, keepFocus) {
  const statusText = el('span');
  const retryButton = el('button', { type: 'button', class: 'rt', 'data-testid': 'shopbot-retry' }, 'Retry');
  const statusBox = el('div', { class: 's', role: 'status', 'data-testid': 'shopbot-status', hidden: true }, statusText, retryButton);
  /** @type {(() => void) | undefined} */
  let retry;
  let statusTimer = 0;

  /**
   * @param {import('./chat.js').StatusKind | null} kind
   * @param {number | null} [seconds]
   * @param {() => void} [again]
   */
  function status(kind, seconds, again) {
    win.clearTimeout(statusTimer);
    retry = again;
    if (!kind) {
      statusBox.hidden = true;
      return;
    }
    statusBox.setAttribute('data-kind', kind);
    statusBox.hidden = false;
    retryButton.hidden = !again;
    if (kind === 'rate_limited') {
      statusText.textContent =
        'Lots of messages right now — try again ' + (seconds ? 'in ' + seconds + ' s' : 'in a moment');
      if (seconds) {
        retryButton.hidden = true;
        statusTimer = win.setTimeout(() => (retryButton.hidden = !again), seconds * 1000);
      }
    } else {
      statusText.textContent =
        kind === 'offline'
          ? 'You appear to be offline. Check your connection and try again.'
          : 'Sorry, something went wrong. Please try again.';
    }
  }

  retryButton.addEventListener('click', () => {
    const again = retry;
    // The button disappears with the status line: keep keyboard focus in the widget.
    if (root.activeElement === retryButton) keepFocus();
    status(null);
    if (again) again();
  });

  return { statusBox, status };
}
