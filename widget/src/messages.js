// The message log: the list of messages (role="log"), each one's bubble, and how an
// answer grows from the typing dots through streamed tokens (painted at most once per
// frame) to its final text, sources and thumbs. It also owns the scroll position: the
// log follows new text unless the shopper scrolled up to read, so nothing else touches
// scrollTop.

import { parseMarkdown, renderMarkdown } from './markdown.js';
import { createSources } from './sources.js';
import { thumbs } from './thumbs.js';

/**
 * @typedef {import('./store.js').Message} Message
 * @typedef {import('./store.js').Source} Source
 * @typedef {import('./chat.js').View} View
 * @typedef {import('./chat.js').MessageView} MessageView
 */

/**
 * @param {import('./elements.js').El} el
 * @param {import('./elements.js').Icon} icon
 * @param {Document} doc
 * @param {string | undefined} locale for prices
 * @param {import('./ui.js').Actions} actions
 */
export function createMessageLog(el, icon, doc, locale, actions) {
  const win = /** @type {Window} */ (doc.defaultView);
  const renderSources = createSources(el, win, locale, actions);
  const log = el('div', {
    class: 'g',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
    tabindex: '0',
    'data-testid': 'shopbot-log',
  });

  let stick = true; // keep the log scrolled to the bottom unless the shopper scrolled up
  const scroll = (force = false) => {
    if (force || stick) log.scrollTop = log.scrollHeight;
  };
  log.addEventListener('scroll', () => {
    stick = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  });

  /** @type {View['add']} */
  function add(message, streaming) {
    const isUser = message.role === 'user';
    const node = el('div', {
      class: 'm ' + (isUser ? 'u' : 'a'),
      'data-role': message.role,
      'data-state': streaming ? 'streaming' : 'done',
      'data-testid': 'shopbot-message',
    });
    if (message.greeting) node.setAttribute('data-greeting', 'true');
    if (message.role === 'merchant') node.append(el('div', { class: 'by' }, 'From the store'));
    const body = el('div', { class: 'c', dir: 'auto', 'data-testid': 'shopbot-message-text' });
    node.append(body);
    /** @type {HTMLElement | null} */
    let typing = null;
    /** @type {HTMLElement | null} */
    let sourcesBox = null;
    /** @type {string | null} */
    let pending = null;
    let frame = 0;

    if (isUser) body.textContent = message.text;
    else if (streaming) {
      typing = el('div', { class: 'ty', role: 'img', 'aria-label': 'Typing', 'data-testid': 'shopbot-typing' }, el('i'), el('i'), el('i'));
      node.append(typing);
    }
    log.append(node);
    scroll(isUser);

    /** @param {string} text */
    const paint = (text) => {
      body.textContent = '';
      body.append(renderMarkdown(parseMarkdown(text), doc));
    };
    const dropTyping = () => {
      if (typing) typing.remove();
      typing = null;
    };

    /** @type {MessageView} */
    const view = {
      text(text) {
        if (text) dropTyping();
        pending = text;
        // Re-render at most once per frame while tokens stream in.
        if (!frame)
          frame = win.requestAnimationFrame(() => {
            frame = 0;
            if (pending !== null) paint(pending);
            pending = null;
            scroll();
          });
      },
      sources(list) {
        if (sourcesBox) sourcesBox.remove();
        sourcesBox = renderSources(list, message);
        if (sourcesBox) node.insertBefore(sourcesBox, typing);
        scroll();
      },
      finish(final) {
        if (frame) win.cancelAnimationFrame(frame);
        frame = 0;
        pending = null;
        dropTyping();
        paint(final.text);
        node.setAttribute('data-state', 'done');
        if (final.id) {
          node.setAttribute('data-message-id', final.id);
          node.append(thumbs(el, icon, final, actions));
        }
        scroll();
      },
      remove() {
        if (frame) win.cancelAnimationFrame(frame);
        frame = 0;
        node.remove();
      },
    };
    if (!isUser && !streaming) {
      if (message.sources) view.sources(message.sources);
      view.finish(message);
    }
    return view;
  }

  return {
    log,
    add,
    scroll,
    /** Follow the conversation to its end again (the shopper just sent a message). */
    follow() {
      stick = true;
    },
  };
}
