// Client for the public widget API (/widget/v1/...). No DOM: fetch and the
// storage cache are injected, so it runs under node --test as well.

import { createSSEParser } from './sse.js';
import { parseRetryAfter } from './format.js';

/**
 * kind: 'offline' (fetch failed), 'rate_limited' (429), 'forbidden' (403),
 * 'rejected' (any other 4xx), 'error' (5xx, stream error, broken stream).
 * fallback: the bot's own reply when it cannot answer (`quota_exceeded`: the
 * store's messages for the month are used up), shown as the answer.
 * conversationId, messageId: from an error after the server stored the question
 * (`shutting_down` and the like): a retry continues that conversation and names
 * the question (`retry_of`) instead of asking it again.
 */
export class ApiError extends Error {
  /**
   * @param {'offline' | 'rate_limited' | 'forbidden' | 'rejected' | 'error'} kind
   * @param {number} status
   * @param {string} code
   * @param {number | null} [retryAfter] seconds
   * @param {string | null} [fallback]
   * @param {any} [data] the problem or `error` event, whose ids it keeps
   */
  constructor(kind, status, code, retryAfter = null, fallback = null, data = null) {
    super(code || kind);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.fallback = fallback;
    /** @type {string | null} */
    this.conversationId = (data && data.conversation_id) || null;
    /** @type {string | null} */
    this.messageId = (data && data.message_id) || null;
  }
}

/**
 * @typedef {import('./store.js').Session} Session
 * @typedef {import('./store.js').Source} Source
 * @typedef {{ conversation_id: string, message_id: string, answer: string, sources?: Source[], handoff?: { offered: boolean } }} Done
 * @typedef {{
 *   token?: (delta: string) => void,
 *   replace?: (text: string) => void,
 *   sources?: (sources: Source[]) => void,
 * }} ChatHandlers
 */

/**
 * @param {{
 *   base: string,
 *   widgetKey: string,
 *   fetch: typeof fetch,
 *   cache?: { load(): Session | null, save(s: Session | null): void },
 *   now?: () => number,
 * }} options
 */
export function createClient({ base, widgetKey, fetch: fetchImpl, cache, now = Date.now }) {
  /** @type {Session | null} */
  let session = cache ? cache.load() : null;
  /** @type {Promise<Session> | null} */
  let pending = null;

  /** @param {Session} s */
  function fresh(s) {
    const exp = s.expires_at ? Date.parse(s.expires_at) : NaN;
    // Unknown expiry: use it; a 401 on use renews it.
    return Number.isNaN(exp) || exp - 30000 > now();
  }

  /**
   * @param {string} path
   * @param {unknown} body (undefined: none)
   * @param {{ token?: string, accept?: string, keepalive?: boolean, signal?: AbortSignal, method?: string }} [o]
   */
  async function post(path, body, o = {}) {
    /** @type {Record<string, string>} */
    const headers = { 'Content-Type': 'application/json', Accept: o.accept || 'application/json' };
    if (o.token) headers.Authorization = 'Bearer ' + o.token;
    try {
      return await fetchImpl(base + path, {
        method: o.method || 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        keepalive: !!o.keepalive,
        signal: o.signal,
      });
    } catch (e) {
      if (e && /** @type {Error} */ (e).name === 'AbortError') throw e;
      throw new ApiError('offline', 0, 'network_error');
    }
  }

  /** @param {Response} res */
  async function toError(res) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      /* not JSON */
    }
    const code = (problem && typeof problem.code === 'string' && problem.code) || '';
    const s = res.status;
    if (s === 429) return new ApiError('rate_limited', s, code, parseRetryAfter(res.headers.get('Retry-After'), now()));
    return new ApiError(s === 403 ? 'forbidden' : s >= 400 && s < 500 ? 'rejected' : 'error', s, code, null, fallbackOf(problem), problem);
  }

  /**
   * Current session, created (or renewed with force) on demand. Concurrent
   * callers share one request.
   * @param {boolean} [force]
   * @returns {Promise<Session>}
   */
  function getSession(force = false) {
    if (!force && session && fresh(session)) return Promise.resolve(session);
    if (pending) return pending;
    // Renewing keeps the visitor id, and so the conversation "delete my data" must reach.
    const previous = session && session.session_token;
    pending = (async () => {
      const res = await post(
        '/widget/v1/sessions',
        previous ? { widget_key: widgetKey, previous_session_token: previous } : { widget_key: widgetKey },
      );
      if (!res.ok) throw await toError(res);
      const s = /** @type {Session} */ (await res.json());
      if (!s || typeof s.session_token !== 'string') throw new ApiError('error', res.status, 'bad_session');
      session = s;
      if (cache) cache.save(s);
      return s;
    })();
    const clear = () => {
      pending = null;
    };
    pending.then(clear, clear);
    return pending;
  }

  /**
   * Authenticated POST; a 401 (expired session) renews the session once.
   * @param {string} path
   * @param {unknown} body
   * @param {{ accept?: string, keepalive?: boolean, signal?: AbortSignal, method?: string }} [o]
   */
  async function send(path, body, o = {}) {
    let s = await getSession();
    for (let attempt = 0; ; attempt++) {
      const res = await post(path, body, { ...o, token: s.session_token });
      if (res.status === 401 && attempt === 0) {
        s = await getSession(true);
        continue;
      }
      if (!res.ok) throw await toError(res);
      return res;
    }
  }

  /**
   * Ask a question and stream the answer.
   * @param {{ message: string, conversation_id?: string, retry_of?: string, page?: { url: string, product_id?: string } }} body
   * @param {ChatHandlers} on
   * @param {AbortSignal} [signal]
   * @returns {Promise<Done>}
   */
  async function chat(body, on, signal) {
    const res = await send('/widget/v1/chat', body, { accept: 'text/event-stream', signal });
    const type = res.headers.get('Content-Type') || '';
    if (!/text\/event-stream/i.test(type) || !res.body) {
      // A proxy or server that ignored Accept: same answer as plain JSON.
      /** @type {Done} */
      const json = await res.json();
      if (on.sources && json.sources) on.sources(json.sources);
      return json;
    }

    /** @type {Done | null} */
    let done = null;
    /** @type {ApiError | null} */
    let failure = null;
    const parser = createSSEParser((ev) => {
      if (done || failure) return;
      let data;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return; // a malformed event is skipped, not fatal
      }
      if (ev.event === 'token') {
        if (on.token && data && data.delta != null) on.token(String(data.delta));
      } else if (ev.event === 'replace') {
        // The server's checks took back text it had sent: show this instead, all of it.
        if (on.replace && data && data.text != null) on.replace(String(data.text));
      } else if (ev.event === 'sources') {
        if (on.sources && data && Array.isArray(data.sources)) on.sources(data.sources);
      } else if (ev.event === 'done') {
        done = data;
      } else if (ev.event === 'error') {
        const code = (data && data.code) || 'stream_error';
        failure = new ApiError(code === 'rate_limited' ? 'rate_limited' : 'error', res.status, code, null, fallbackOf(data), data);
      }
    });

    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        parser.push(decoder.decode(value, { stream: true }));
        if (done || failure) {
          reader.cancel().catch(() => {});
          break;
        }
      }
      parser.push(decoder.decode());
      parser.end();
    } catch (e) {
      if (e && /** @type {Error} */ (e).name === 'AbortError') throw e;
      throw new ApiError('error', res.status, 'stream_interrupted');
    }
    if (failure) throw failure;
    if (!done) throw new ApiError('error', res.status, 'stream_incomplete');
    return done;
  }

  return {
    session: getSession,
    chat,
    /** @param {string} messageId @param {'up' | 'down'} rating */
    feedback(messageId, rating) {
      // keepalive: a thumbs-up right before a product-card click must still arrive.
      return send('/widget/v1/feedback', { message_id: messageId, rating }, { keepalive: true });
    },
    /**
     * Analytics event; keepalive lets it outlive the navigation that a
     * product-card click starts.
     * @param {Record<string, unknown>} event
     */
    event(event) {
      return send('/widget/v1/events', event, { keepalive: true });
    },
    /** Ask for a person from the store (handoff.js). @param {Record<string, unknown>} body */
    async handoff(body) {
      return (await send('/widget/v1/handoff', body)).json();
    },
    /** The store's replies after `after` (an ISO time; null: all). @param {string} id @param {string | null} after */
    async replies(id, after) {
      const query = after ? '?after=' + encodeURIComponent(after) : '';
      return (await send('/widget/v1/conversations/' + encodeURIComponent(id) + '/messages' + query, undefined, { method: 'GET' })).json();
    },
    /** Erase this visitor's data on the server, then forget the session: a new visitor next. */
    async forget() {
      await send('/widget/v1/me', undefined, { method: 'DELETE' });
      session = null;
      if (cache) cache.save(null);
    },
  };
}

/**
 * The reply to show instead of an answer, sent only with `quota_exceeded`.
 * @param {any} problem
 * @returns {string | null}
 */
function fallbackOf(problem) {
  const text = problem && problem.code === 'quota_exceeded' && problem.fallback;
  return typeof text === 'string' && text.trim() ? text : null;
}
