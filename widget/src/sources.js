// What an answer was grounded on, under its text: product cards (image, title, price,
// stock, and Add to cart when the store can add the product in one step) and the
// titles of knowledge documents. Its own module because it is the one part of the
// view that turns catalogue data into markup, and the one that sends shoppers off
// the page (product_click / add_to_cart events go out first, through the chat's `track`).

import { safeHref } from './markdown.js';
import { formatPrice } from './format.js';

const MAX_CARDS = 8;

/**
 * @typedef {import('./store.js').Message} Message
 * @typedef {import('./store.js').Source} Source
 */

/**
 * @param {import('./elements.js').El} el
 * @param {Window} win
 * @param {string | undefined} locale for prices
 * @param {Pick<import('./ui.js').Actions, 'track'>} actions read at click time: index.js fills it in after the view exists
 * @returns {(list: Source[], message: Message) => HTMLElement | null} the box under an answer, or null when nothing is shown
 */
export function createSources(el, win, locale, actions) {
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
    const price = formatPrice(p.price, p.currency, locale);
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

  return (list, message) => {
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
  };
}
