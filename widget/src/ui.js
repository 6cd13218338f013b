// The DOM view. Kept thin: parsing, formatting and the chat flow live in
// pure modules. Every piece of model or catalogue text goes in through
// textContent / createTextNode (via renderMarkdown); innerHTML is never used.

import css from './styles.css';
import { parseMarkdown, renderMarkdown, safeHref } from './markdown.js';
import { formatPrice } from './format.js';
import { MAX_LENGTH } from './chat.js';

const NEAR_LIMIT = 1800;
const MAX_CARDS = 8;
const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = {
  chat: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z',
  close: 'M18 6L6 18M6 6l12 12',
  send: 'M22 2L11 13M22 2l-7 20-4-9-9-4z',
  trash: 'M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6',
  thumb:
    'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
};

/**
 * @typedef {import('./store.js').Message} Message
 * @typedef {import('./store.js').Source} Source
 * @typedef {import('./chat.js').View} View
 * @typedef {import('./chat.js').MessageView} MessageView
 * @typedef {{
 *   title: string,
 *   avatarUrl: string | null,
 *   position: 'left' | 'right',
 *   background: string,
 *   text: string,
 *   inline: boolean,
 *   locale: string | undefined,
 * }} ViewConfig
 * What the view's controls do: the chat controller's own methods (chat.js).
 * @typedef {Pick<ReturnType<typeof import('./chat.js').createChat>, 'ask' | 'rate' | 'track' | 'setOpen'>} Actions
 */

/**
 * @param {Document} doc
 * @param {ViewConfig} cfg
 * @param {Actions} actions
 */
export function createView(doc, cfg, actions) {
  const win = /** @type {Window} */ (doc.defaultView);
  const inline = cfg.inline;

  /**
   * @param {string} tag
   * @param {Record<string, string | boolean>} [attrs]
   * @param {...(Node | string)} children
   * @returns {HTMLElement}
   */
  function el(tag, attrs = {}, ...children) {
    const node = doc.createElement(tag);
    for (const name in attrs) {
      const v = attrs[name];
      if (v !== false) node.setAttribute(name, v === true ? '' : v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  /** @param {keyof typeof ICONS} name @param {string} [cls] */
  function icon(name, cls) {
    const svg = doc.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    if (cls) svg.setAttribute('class', cls);
    const path = doc.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  // Host + shadow root. Open mode: see README ("Why an open shadow root").
  const host = el('div', { 'data-shopbot': '', 'data-inline': inline, 'data-testid': 'shopbot-host' });
  host.style.cssText = 'all:initial';
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root) {
    // Constructed sheets are not subject to a store's CSP style-src. Every browser that
    // adopts sheets also constructs them (replaceSync came with it: Chrome 73, Firefox 101,
    // Safari 16.4); older ones (Firefox 78, Safari 15) get a <style>.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    /** @type {ShadowRoot} */ (root).appendChild(el('style', {}, css));
  }

  const wrap = el('div', { class: 'r' + (inline ? ' inline' : cfg.position === 'left' ? ' left' : '') });
  wrap.style.setProperty('--c', cfg.background);
  wrap.style.setProperty('--f', cfg.text);
  root.appendChild(wrap);

  const launcher = inline
    ? null
    : el(
        'button',
        {
          type: 'button',
          class: 'l',
          'aria-expanded': 'false',
          'aria-controls': 'shopbot-panel',
          'aria-label': 'Chat with ' + cfg.title,
          'data-testid': 'shopbot-launcher',
        },
        icon('chat', 'i1'),
        icon('close', 'i2'),
      );

  const closeButton = inline
    ? null
    : el(
        'button',
        { type: 'button', class: 'x', 'aria-label': 'Close chat', 'data-testid': 'shopbot-close' },
        icon('close'),
      );
  const avatarSrc = safeHref(cfg.avatarUrl);
  const header = el('div', { class: 'h' });
  if (avatarSrc) {
    const avatar = el('img', { class: 'av', alt: '', src: avatarSrc, 'data-testid': 'shopbot-avatar' });
    avatar.addEventListener('error', () => avatar.remove());
    header.append(avatar);
  }
  header.append(el('div', { class: 't', 'data-testid': 'shopbot-title' }, cfg.title));
  if (closeButton) header.append(closeButton);

  const log = el('div', {
    class: 'g',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
    tabindex: '0',
    'data-testid': 'shopbot-log',
  });
  const statusText = el('span');
  const retryButton = el('button', { type: 'button', class: 'rt', 'data-testid': 'shopbot-retry' }, 'Retry');
  const statusBox = el('div', { class: 's', role: 'status', 'data-testid': 'shopbot-status', hidden: true }, statusText, retryButton);

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

  const panel = el(
    'div',
    {
      id: 'shopbot-panel',
      class: 'p',
      role: 'dialog',
      'aria-modal': 'false',
      'aria-label': cfg.title,
      hidden: !inline,
      'data-testid': 'shopbot-panel',
    },
    header,
    log,
    statusBox,
    form,
  );
  if (launcher) wrap.append(launcher);
  wrap.append(panel);

  let busy = false;
  let stick = true; // keep the log scrolled to the bottom unless the shopper scrolled up
  /** @type {(() => void) | undefined} */
  let retry;
  let statusTimer = 0;

  const scroll = (force = false) => {
    if (force || stick) log.scrollTop = log.scrollHeight;
  };
  log.addEventListener('scroll', () => {
    stick = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  });

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
    stick = true;
    actions.ask(text);
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
  retryButton.addEventListener('click', () => {
    const again = retry;
    // The button disappears with the status line: keep keyboard focus in the widget.
    if (root.activeElement === retryButton) input.focus();
    status(null);
    if (again) again();
  });

  function open(focus = true) {
    if (launcher && panel.hidden) {
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      actions.setOpen(true);
      scroll(true);
    }
    if (focus) input.focus();
  }
  function close() {
    if (!launcher || panel.hidden) return;
    const hadFocus = !!root.activeElement;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    actions.setOpen(false);
    // Only take focus back if it was inside the widget (not on a
    // programmatic close while the shopper is elsewhere on the page).
    if (hadFocus) launcher.focus();
  }
  if (launcher) launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  if (closeButton) closeButton.addEventListener('click', close);
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && launcher) {
      e.stopPropagation();
      close();
    }
  });

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
        "You're sending messages quickly — try again " + (seconds ? 'in ' + seconds + ' s' : 'in a moment');
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

  /**
   * @param {Source[]} list
   * @param {Message} message
   */
  function renderSources(list, message) {
    /** @type {Source[]} */
    const products = [];
    /** @type {Source[]} */
    const documents = [];
    const seen = new Set();
    for (const s of list || []) {
      if (!s || typeof s !== 'object') continue;
      const isProduct = s.product_id != null;
      const key = isProduct ? 'p' + s.product_id : s.document_id != null ? 'd' + s.document_id : null;
      if (key === null || seen.has(key)) continue;
      seen.add(key);
      (isProduct ? products : documents).push(s);
    }
    if (!products.length && !documents.length) return null;
    const box = el('div', { class: 'sr' });
    if (products.length) {
      const row = el('ul', { class: 'k', 'aria-label': 'Products' });
      for (const p of products.slice(0, MAX_CARDS)) row.append(card(p, message));
      box.append(row);
    }
    if (documents.length) {
      const line = el('div', { class: 'd' }, 'Sources: ');
      for (const d of documents) line.append(el('span', { class: 'ds', 'data-testid': 'shopbot-source' }, String(d.title || '')));
      box.append(line);
    }
    return box;
  }

  /**
   * @param {Source} p
   * @param {Message} message
   */
  function card(p, message) {
    const href = safeHref(p.url);
    const title = String(p.title || '');
    const node = el(href ? 'a' : 'div', {
      class: 'card',
      'data-testid': 'shopbot-product-card',
      'data-product-id': String(p.product_id),
    });
    const item = el('li', {}, node);
    if (href) {
      node.setAttribute('href', href);
      node.addEventListener('click', () => actions.track('product_click', message, p, href));
    }
    // A sibling of the card's link, not inside it: a button in a link is neither valid
    // HTML nor reachable on its own by keyboard.
    const cart = safeHref(p.add_to_cart_url);
    if (cart) {
      const add = el(
        'button',
        { type: 'button', class: 'ac', 'aria-label': 'Add to cart: ' + title, 'data-testid': 'shopbot-add-to-cart' },
        'Add to cart',
      );
      add.addEventListener('click', () => {
        // The event is keepalive: it outlives the store page this navigation replaces.
        actions.track('add_to_cart', message, p, cart);
        win.location.href = cart;
      });
      item.append(add);
    }
    const image = safeHref(p.image_url);
    if (image) {
      const img = el('img', { class: 'im', alt: '', loading: 'lazy', decoding: 'async', src: image });
      img.addEventListener('error', () => img.remove());
      node.append(img);
    }
    const info = el('div', { class: 'ci' }, el('span', { class: 'ct', 'data-testid': 'shopbot-product-title' }, title));
    const price = formatPrice(p.price, p.currency, cfg.locale);
    if (price) info.append(el('span', { class: 'pr', 'data-testid': 'shopbot-price' }, price));
    if (typeof p.in_stock === 'boolean') {
      info.append(
        el(
          'span',
          { class: 'st ' + (p.in_stock ? 'in' : 'out'), 'data-in-stock': String(p.in_stock), 'data-testid': 'shopbot-stock' },
          p.in_stock ? 'In stock' : 'Out of stock',
        ),
      );
    }
    node.append(info);
    return item;
  }

  /** @param {Message} message */
  function feedback(message) {
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
          node.append(feedback(final));
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
    host,
    open,
    close,
    /** Where controls from their own modules go (forget.js, consent.js). @type {import('./forget.js').Slots} */
    slots: { el, header, close: closeButton, form, input, trash: () => icon('trash') },
    /** Show `node` (the hand-off form) at the end of the conversation. @param {Node} node */
    append(node) {
      log.append(node);
      scroll();
    },
    /** Empty the log (the conversation was deleted). */
    clear() {
      log.textContent = '';
      status(null);
    },
    /** @type {View} */
    view: {
      add,
      busy(b) {
        busy = b;
        log.setAttribute('aria-busy', String(b));
        refresh();
      },
      status,
    },
  };
}
