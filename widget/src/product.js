// Which product is the shopper looking at? Read from common WooCommerce
// markup so answers can be about "this" product.

const NUMERIC_ID = /^\d{1,18}$/;

/**
 * @typedef {{ getAttribute(name: string): string | null }} AttrSource
 * @typedef {{
 *   body?: { className?: unknown } | null,
 *   querySelectorAll(selector: string): ArrayLike<AttrSource & { value?: string }>
 * }} DocLike
 */

/**
 * Product id from body classes: WordPress adds "postid-N" to every single
 * post, so it only counts on product pages ("single-product", or the
 * "product-template-*" class some themes keep instead).
 * @param {unknown} className
 * @returns {string | null}
 */
export function productIdFromBodyClass(className) {
  if (typeof className !== 'string') return null;
  const classes = className.split(/\s+/);
  const isProduct = classes.some((c) => c === 'single-product' || c.startsWith('product-template-'));
  if (!isProduct) return null;
  for (const c of classes) {
    const m = /^postid-(\d{1,18})$/.exec(c);
    if (m) return m[1];
  }
  return null;
}

/**
 * Detect the current product id, most specific source first:
 * 1. the merchant's own `data-product-id` on the script tag;
 * 2. `postid-N` on <body> of a single-product page;
 * 3. the add-to-cart form's `[name=add-to-cart]` value (simple, variable and
 *    grouped products all carry the parent id there);
 * 4. `[data-product_id]`, but only when the page has exactly one distinct
 *    value: listing pages and "related products" carry many.
 * @param {DocLike} doc
 * @param {AttrSource | null} [script]
 * @returns {string | null}
 */
export function detectProductId(doc, script) {
  const explicit = script && script.getAttribute('data-product-id');
  if (explicit && /^[\w.-]{1,64}$/.test(explicit.trim())) return explicit.trim();

  const fromBody = productIdFromBodyClass(doc.body && doc.body.className);
  if (fromBody) return fromBody;

  for (const selector of ['form.cart [name="add-to-cart"]', '[name="add-to-cart"]']) {
    for (const el of Array.from(doc.querySelectorAll(selector))) {
      const v = String(el.value != null ? el.value : el.getAttribute('value') || '').trim();
      if (NUMERIC_ID.test(v)) return v;
    }
  }

  const ids = new Set();
  for (const el of Array.from(doc.querySelectorAll('[data-product_id]'))) {
    const v = (el.getAttribute('data-product_id') || '').trim();
    if (NUMERIC_ID.test(v)) ids.add(v);
  }
  return ids.size === 1 ? /** @type {string} */ (ids.values().next().value) : null;
}
