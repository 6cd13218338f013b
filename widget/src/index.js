// Entry point. The merchant pastes one tag:
//   <script src="https://API/widget.js" data-widget-key="wk_..." async></script>
// See widget/README.md for every data attribute and the window.Shopbot API.

import { ApiError, createClient } from './api.js';
import { createStore } from './store.js';
import { createChat } from './chat.js';
import { createView } from './ui.js';
import { mountForget } from './forget.js';
import { mountConsent } from './consent.js';
import { createHandoff, handoffForm } from './handoff.js';
import { themeColors } from './color.js';
import { detectProductId } from './product.js';
import { apiBase } from './config.js';

const BOOT_RETRY_MS = 2000;

/** @param {string} message */
const warn = (message) => console.warn('[Shopbot] ' + message);

/** @param {Document} doc */
function findScript(doc) {
  const current = doc.currentScript;
  if (current && current.hasAttribute('data-widget-key')) return /** @type {HTMLScriptElement} */ (current);
  return /** @type {HTMLScriptElement | null} */ (doc.querySelector('script[data-widget-key]'));
}

function boot() {
  const win = window;
  const doc = document;
  // A second copy of the snippet on the same page does nothing.
  if (win.Shopbot && win.Shopbot.version) return;

  const script = findScript(doc);
  if (!script) return warn('no <script data-widget-key> found');
  /** @param {string} name */
  const attr = (name) => {
    const v = script.getAttribute('data-' + name);
    return v == null ? null : v.trim();
  };
  const widgetKey = attr('widget-key');
  const base = apiBase(script, win.location.href);
  if (!widgetKey || !base) return warn('data-widget-key or the API URL is missing');

  const store = createStore(() => win.sessionStorage, widgetKey, () => win.localStorage);
  const client = createClient({
    base,
    widgetKey,
    fetch: (url, init) => win.fetch(url, init),
    cache: { load: store.loadSession, save: store.saveSession },
  });
  const requestSession = () =>
    client.session().then(
      (s) => s.bot || {},
      /** @param {unknown} e */ (e) => (e instanceof ApiError ? e : new ApiError('error', 0, String(e))),
    );
  // Ask for the session while the page is still parsing.
  const session = requestSession();

  /** @type {(value: { ui: ReturnType<typeof createView>, chat: ReturnType<typeof createChat> } | null) => void} */
  let settle = () => {};
  /** @type {Promise<{ ui: ReturnType<typeof createView>, chat: ReturnType<typeof createChat> } | null>} */
  const ready = new Promise((resolve) => (settle = resolve));

  win.Shopbot = Object.freeze({
    version: __SHOPBOT_VERSION__,
    open() {
      ready.then((w) => w && w.ui.open());
    },
    close() {
      ready.then((w) => w && w.ui.close());
    },
    /** @param {string} text */
    ask(text) {
      return ready.then((w) => {
        if (!w) return false;
        w.ui.open();
        return w.chat.ask(text);
      });
    },
  });

  const start = async () => {
    let result = await session;
    if (result instanceof ApiError && result.kind !== 'forbidden' && result.kind !== 'rejected') {
      // Unreachable, 5xx or 429: one more try before giving up on this page.
      await new Promise((resolve) => setTimeout(resolve, BOOT_RETRY_MS));
      result = await requestSession();
    }
    if (result instanceof ApiError) {
      // Without a session the widget renders nothing at all. The API answers
      // a foreign origin's 403 without CORS headers, so the browser reports
      // it to us as a network failure: the warning names both causes.
      const status = result.status;
      warn(
        (status
          ? 'HTTP ' + status + (status === 403 ? ': this site is not an allowed origin' : ': no session')
          : 'could not reach ' + base + ', or this site is not an allowed origin') +
          ' for widget key ' +
          widgetKey,
      );
      return settle(null);
    }
    const bot = result;
    /** @type {boolean | null | undefined} */
    let consent = bot.consent_required ? store.loadConsent() : undefined;
    const theme = bot.theme || {};
    const title = attr('title') || theme.title || bot.name || 'Shopping assistant';
    const position = (attr('position') || theme.position) === 'left' ? 'left' : 'right';

    let container = doc.body;
    let inline = false;
    if (attr('mode') === 'inline') {
      const selector = attr('target');
      /** @type {Element | null} */
      let target = null;
      try {
        target = selector ? doc.querySelector(selector) : null;
      } catch {
        /* invalid selector */
      }
      if (target) {
        container = /** @type {HTMLElement} */ (target);
        inline = true;
      } else if (!selector && doc.body.contains(script)) {
        inline = true;
      } else warn('inline target ' + selector + ' not found; showing the launcher instead');
    }

    // The view is built before the chat that drives it: its controls call the chat's
    // methods, which are copied in as soon as the chat exists (before anything renders).
    const actions = /** @type {import('./ui.js').Actions} */ ({});
    const colors = themeColors(attr('color'), theme.primary_color);
    const ui = createView(
      doc,
      {
        title,
        position,
        inline,
        avatarUrl: theme.avatar_url || null,
        background: colors.background,
        text: colors.text,
        locale: doc.documentElement.lang || navigator.language || undefined,
      },
      actions,
    );
    const greeting = attr('greeting') || bot.greeting;
    const greet = () => greeting && ui.view.add({ role: 'assistant', text: greeting, greeting: true }, false);
    greet();
    const chat = createChat({
      client,
      store,
      view: ui.view,
      page: () => {
        // The API accepts URLs up to 1000 characters; tracking parameters can be longer.
        const url = win.location.href.slice(0, 1000);
        const id = detectProductId(doc, script);
        return id ? { url, product_id: id } : { url };
      },
      online: () => navigator.onLine !== false,
      // Not asked (undefined), or the shopper's answer; no answer yet counts as "no".
      consent: () => (consent === undefined ? consent : !!consent),
      offer: () => ui.append(handoffForm(ui.slots.el, (email) => handoff.request(email))),
    });
    const convo = chat.restore();
    const handoff = createHandoff({ client, convo, save: chat.save, show: (m) => ui.view.add(m, false) });
    Object.assign(actions, chat, {
      /** @param {boolean} open */
      setOpen(open) {
        chat.setOpen(open);
        handoff.setOpen(open);
      },
    });

    mountForget(ui.slots, async () => {
      await chat.forget();
      ui.clear();
      greet();
    });

    if (consent === null) {
      mountConsent(ui.slots, bot.consent_text, (allowed) => {
        consent = allowed;
        store.saveConsent(allowed);
      });
    }

    if (inline && container === doc.body) script.after(ui.host);
    else container.appendChild(ui.host);

    const openAttr = attr('open');
    const wide = !win.matchMedia || win.matchMedia('(min-width: 480px)').matches;
    // Start open (data-open) or reopen after a navigation, but never as a
    // full-screen sheet over a phone's page before the shopper asked for it.
    if (wide && ((openAttr !== null && openAttr !== 'false') || convo.open)) ui.open(false);
    settle({ ui, chat });
  };

  const run = () =>
    start().catch((e) => {
      warn('failed to start: ' + (e && e.message));
      settle(null);
    });
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

boot();
