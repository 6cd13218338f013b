// Conversation and session persistence in sessionStorage, keyed by widget
// key, so the chat survives page navigations within the tab; the consent
// choice in localStorage. Storage can be unavailable (privacy modes,
// sandboxed frames) or full: every access is guarded and failure just means
// "not persisted".

export const MAX_MESSAGES = 40;

/**
 * @typedef {{ product_id?: string|number, external_id?: string, sku?: string, title?: string, url?: string,
 *   price?: string|number|null, currency?: string, in_stock?: boolean|null, snippet?: string,
 *   image_url?: string|null, add_to_cart_url?: string|null, document_id?: string }} Source
 * @typedef {{ role: 'user' | 'assistant' | 'merchant', text: string, id?: string, sources?: Source[], rating?: 'up' | 'down', greeting?: boolean }} Message
 * @typedef {{ state: string, after: string | null, until: number }} Handoff
 * @typedef {{ conversation_id: string | null, messages: Message[], open: boolean, handoff?: Handoff | null }} Conversation
 * @typedef {{ session_token: string, expires_at?: string, bot?: any }} Session
 * @typedef {{ getItem(k: string): string | null, setItem(k: string, v: string): void, removeItem(k: string): void }} StorageLike
 */

/**
 * @param {() => StorageLike | null | undefined} getStorage the tab's (sessionStorage)
 * @param {string} widgetKey
 * @param {() => StorageLike | null | undefined} [getLasting] the browser's (localStorage): the
 *   consent choice outlives the tab, so a shopper who answered is not asked on every visit
 */
export function createStore(getStorage, widgetKey, getLasting = getStorage) {
  const key = 'shopbot:' + widgetKey;

  /** @param {string} k @param {() => StorageLike | null | undefined} [storage] */
  function read(k, storage = getStorage) {
    try {
      const raw = /** @type {StorageLike} */ (storage()).getItem(k);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  }
  /** @param {string} k @param {unknown} v @param {() => StorageLike | null | undefined} [storage] */
  function write(k, v, storage = getStorage) {
    try {
      /** @type {StorageLike} */ (storage()).setItem(k, JSON.stringify(v));
    } catch {
      /* not persisted */
    }
  }

  return {
    /** @returns {Conversation} */
    loadConversation() {
      const v = read(key);
      const messages = v && Array.isArray(v.messages) ? v.messages.filter(isMessage) : [];
      /** @type {Conversation} */
      const c = {
        conversation_id: v && typeof v.conversation_id === 'string' ? v.conversation_id : null,
        messages,
        open: !!(v && v.open),
      };
      if (v && v.handoff && typeof v.handoff.state === 'string') c.handoff = v.handoff;
      return c;
    },
    /** @param {Conversation} c */
    saveConversation(c) {
      write(key, {
        conversation_id: c.conversation_id,
        messages: c.messages.slice(-MAX_MESSAGES).map(slim),
        open: c.open,
        handoff: c.handoff,
      });
    },
    /** @returns {Session | null} */
    loadSession() {
      const s = read(key + ':session');
      return s && typeof s.session_token === 'string' ? s : null;
    },
    /** @param {Session | null} s */
    saveSession(s) {
      write(key + ':session', s);
    },
    /** The shopper's answer to this bot's consent question, null before they gave one. */
    loadConsent() {
      const v = read(key + ':consent', getLasting);
      return typeof v === 'boolean' ? v : null;
    },
    /** @param {boolean} allowed */
    saveConsent(allowed) {
      write(key + ':consent', allowed, getLasting);
    },
    /** Forget the conversation and the session (the shopper deleted their data). */
    clear() {
      try {
        const storage = /** @type {StorageLike} */ (getStorage());
        storage.removeItem(key);
        storage.removeItem(key + ':session');
      } catch {
        /* nothing was stored */
      }
    },
  };
}

/** @param {any} m @returns {m is Message} */
function isMessage(m) {
  return !!m && ['user', 'assistant', 'merchant'].includes(m.role) && typeof m.text === 'string';
}

/**
 * Keep what re-rendering needs; snippets are long and never displayed.
 * @param {Message} m
 * @returns {Message}
 */
function slim(m) {
  /** @type {Message} */
  const out = { role: m.role, text: m.text };
  if (m.id) out.id = m.id;
  if (m.rating) out.rating = m.rating;
  if (m.sources && m.sources.length) {
    out.sources = m.sources.map((s) => {
      const { snippet, ...rest } = s;
      return rest;
    });
  }
  return out;
}
