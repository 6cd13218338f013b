// Conversation controller: the chat flow without the DOM. It talks to the
// API client, keeps the conversation in the store and drives a "view"
// (ui.js in the browser, a fake in tests).

import { ApiError } from './api.js';

export const MAX_LENGTH = 2000;

/**
 * @typedef {import('./store.js').Message} Message
 * @typedef {import('./store.js').Source} Source
 * @typedef {'offline' | 'rate_limited' | 'error'} StatusKind
 * @typedef {{
 *   text(text: string): void,
 *   sources(sources: Source[]): void,
 *   finish(message: Message): void,
 *   remove(): void,
 * }} MessageView
 * @typedef {{
 *   add(message: Message, streaming: boolean): MessageView,
 *   busy(busy: boolean): void,
 *   status(kind: StatusKind | null, retryAfter?: number | null, retry?: () => void): void,
 * }} View
 * @typedef {ReturnType<typeof import('./api.js').createClient>} Client
 * @typedef {ReturnType<typeof import('./store.js').createStore>} Store
 */

/**
 * @param {{
 *   client: Client,
 *   store: Store,
 *   view: View,
 *   page: () => { url: string, product_id?: string },
 *   online?: () => boolean,
 *   consent?: () => boolean | undefined,
 *   offer?: () => void,
 * }} deps
 */
export function createChat({ client, store, view, page, online = () => true, consent = () => undefined, offer = () => {} }) {
  const convo = store.loadConversation();
  let busy = false;

  // consent(): undefined when the bot asks for none, else the shopper's choice (false until
  // they allow). Without it the server keeps nothing, and neither does this tab.
  const save = () => consent() !== false && store.saveConversation(convo);

  /**
   * @param {string} message
   * @param {string} [retryOf] the id of the stored question whose answer broke off
   */
  async function run(message, retryOf) {
    if (busy) return;
    busy = true;
    view.busy(true);
    view.status(null);
    /** @type {Message} */
    const reply = { role: 'assistant', text: '' };
    const shown = view.add(reply, true);
    /** @param {Message} final the reply as shown and kept */
    const keep = (final) => {
      shown.finish(final);
      convo.messages.push(final);
      save();
    };
    try {
      if (!online()) throw new ApiError('offline', 0, 'offline');
      /** @type {{ message: string, conversation_id?: string, retry_of?: string, page: { url: string, product_id?: string }, consent?: boolean }} */
      const body = { message, page: page() };
      if (convo.conversation_id) body.conversation_id = convo.conversation_id;
      if (retryOf && convo.conversation_id) body.retry_of = retryOf;
      const allowed = consent();
      if (allowed !== undefined) body.consent = allowed;
      const done = await client.chat(body, {
        // Only checked text arrives: a token is a checked sentence to append, a
        // replace is the checked text in full when the server took some back.
        token(delta) {
          reply.text += delta;
          shown.text(reply.text);
        },
        replace(text) {
          reply.text = text;
          shown.text(text);
        },
        sources(sources) {
          reply.sources = sources;
          shown.sources(sources);
        },
      });
      // The final answer is the checked text the stream showed; it stays the
      // authority should a proxy have lost an event.
      if (done && typeof done.answer === 'string') reply.text = done.answer;
      if (done && done.message_id != null) reply.id = String(done.message_id);
      if (done && done.conversation_id != null) convo.conversation_id = String(done.conversation_id);
      keep(reply);
      // The answer offers a person from the store: show the form under it (a stored
      // conversation only: the request names it).
      if (done && done.handoff && done.handoff.offered && convo.conversation_id) offer();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('error', 0, 'unexpected');
      if (err.fallback) {
        // The store can't take questions now (its plan's messages are used up): its
        // own words, as the assistant's reply, not an error. No id: nothing to rate.
        return keep({ role: 'assistant', text: err.fallback });
      }
      shown.remove();
      /** @type {StatusKind} */
      const kind =
        err.kind === 'offline' || !online() ? 'offline' : err.kind === 'rate_limited' ? 'rate_limited' : 'error';
      // The server kept the question (in a conversation it may have opened for it): the
      // retry continues that conversation and has that question answered, not stored
      // twice. Until a retry is refused (a 4xx: answered meanwhile, or gone) it names it.
      if (err.conversationId) {
        convo.conversation_id = err.conversationId;
        save();
      }
      const again = err.messageId || (err.kind === 'rejected' ? undefined : retryOf);
      view.status(kind, err.retryAfter, () => run(message, again));
    } finally {
      busy = false;
      view.busy(false);
    }
  }

  return {
    save,
    /** Render the persisted conversation (after the greeting). */
    restore() {
      for (const m of convo.messages) view.add(m, false);
      return convo;
    },
    isBusy: () => busy,
    /**
     * @param {unknown} text
     * @returns {Promise<boolean>} false when nothing was sent
     */
    async ask(text) {
      const message = String(text == null ? '' : text).trim().slice(0, MAX_LENGTH);
      if (!message || busy) return false;
      /** @type {Message} */
      const question = { role: 'user', text: message };
      convo.messages.push(question);
      save();
      view.add(question, false);
      await run(message);
      return true;
    },
    /**
     * Thumbs up/down: sent once; a failed request un-marks it so it can be retried.
     * @param {Message} message
     * @param {'up' | 'down'} rating
     * @param {(rating?: 'up' | 'down') => void} mark
     */
    rate(message, rating, mark) {
      if (message.rating || !message.id) return;
      message.rating = rating;
      mark(rating);
      save();
      client.feedback(message.id, rating).catch(() => {
        delete message.rating;
        mark(undefined);
        save();
      });
    },
    /**
     * A product card's click (`product_click`, url: the product page) or its Add to cart
     * (`add_to_cart`, url: the add-to-cart link). Fire and forget: the event is keepalive
     * and the page navigates right after.
     * @param {'product_click' | 'add_to_cart'} type
     * @param {Message} message
     * @param {Source} source
     * @param {string} url
     */
    track(type, message, source, url) {
      /** @type {Record<string, unknown>} */
      const event = { type, product_id: source.product_id, url };
      if (message.id) event.message_id = message.id;
      // Without consent the server counts the event but ties it to no visitor.
      const allowed = consent();
      if (allowed !== undefined) event.consent = allowed;
      client.event(event).catch(() => {});
    },
    /**
     * Erase the visitor's data on the server, then start over: no conversation,
     * no session (the next message opens a new one, under a new visitor id).
     * Not while an answer streams in: it would be stored after the erasure.
     */
    async forget() {
      if (busy) throw new Error('busy');
      await client.forget();
      convo.conversation_id = null;
      delete convo.handoff;
      convo.messages.length = 0;
      store.clear();
    },
    /** @param {boolean} open */
    setOpen(open) {
      convo.open = open;
      save();
    },
  };
}
