// The DOM view, put together from its parts: the shell (host, launcher, panel;
// shell.js), the message log (messages.js, with sources.js and thumbs.js), the status
// line (status.js) and the composer (composer.js), all built with elements.js. This
// file only wires them to each other and to the chat controller, and gives index.js
// what it uses: the host, open/close, the View that chat.js drives, and the slots
// where forget.js and consent.js put their controls. Kept thin: parsing, formatting and
// the chat flow live in pure modules. Every piece of model or catalogue text goes in
// through textContent / createTextNode (via renderMarkdown); innerHTML is never used.

import { createMessageLog } from './messages.js';
import { createShell } from './shell.js';
import { createBuilders } from './elements.js';
import { createStatusLine } from './status.js';
import { createComposer } from './composer.js';

/**
 * @typedef {import('./chat.js').View} View
 * @typedef {import('./shell.js').ShellConfig & { locale: string | undefined }} ViewConfig
 * What the view's controls do: the chat controller's own methods (chat.js).
 * @typedef {Pick<ReturnType<typeof import('./chat.js').createChat>, 'ask' | 'rate' | 'track' | 'setOpen'>} Actions
 */

/**
 * @param {Document} doc
 * @param {ViewConfig} cfg
 * @param {Actions} actions filled in by index.js once the chat exists, so read at call time
 */
export function createView(doc, cfg, actions) {
  const win = /** @type {Window} */ (doc.defaultView);
  const { el, icon } = createBuilders(doc);

  const messages = createMessageLog(el, icon, doc, cfg.locale, actions);
  const composer = createComposer(el, icon, (text) => {
    messages.follow();
    actions.ask(text);
  });
  const { log } = messages;
  const { form, input } = composer;
  const shell = createShell(el, icon, cfg, actions, messages, input);
  const { statusBox, status } = createStatusLine(el, win, shell.root, () => input.focus());
  const { header, closeButton } = shell;
  shell.panel.append(log, statusBox, form);

  return {
    host: shell.host,
    open: shell.open,
    close: shell.close,
    /** Where controls from their own modules go (forget.js, consent.js). @type {import('./forget.js').Slots} */
    slots: { el, header, close: closeButton, form, input, trash: () => icon('trash') },
    /** Show `node` (the hand-off form) at the end of the conversation. @param {Node} node */
    append(node) {
      log.append(node);
      messages.scroll();
    },
    /** Empty the log (the conversation was deleted). */
    clear() {
      log.textContent = '';
      status(null);
    },
    /** @type {View} */
    view: {
      add: messages.add,
      // While an answer streams: screen readers wait for all of it, and nothing is sent.
      busy(b) {
        log.setAttribute('aria-busy', String(b));
        composer.busy(b);
      },
      status,
    },
  };
}
