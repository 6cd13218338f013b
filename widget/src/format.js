// Pure formatting helpers (no DOM).

/**
 * A formatter per call: a reply shows at most a few cards, so caching them would cost
 * more bundle than it saves time.
 * @param {string | undefined} locale
 * @param {string} currency ISO 4217 code, or '' for a plain number
 */
function formatter(locale, currency) {
  /** @type {Intl.NumberFormatOptions} */
  const opts = currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  try {
    return new Intl.NumberFormat(locale || undefined, opts);
  } catch {
    // An invalid locale tag from the page's <html lang> must not hide prices.
    return new Intl.NumberFormat(undefined, opts);
  }
}

/**
 * Format a catalogue price in its own currency. The API sends decimals as
 * strings ("19.90") to keep them exact; numbers are accepted too.
 * @param {unknown} price
 * @param {unknown} currency
 * @param {string} [locale] defaults to the browser's locale
 * @returns {string} '' when there is no price
 */
export function formatPrice(price, currency, locale) {
  if (price == null || price === '') return '';
  const amount = typeof price === 'number' ? price : Number(String(price).trim());
  if (!Number.isFinite(amount)) return String(price);
  const code = typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : '';
  try {
    return formatter(locale, code).format(amount);
  } catch {
    return amount.toFixed(2) + (code ? ' ' + code : '');
  }
}

/**
 * Seconds to wait from a Retry-After header (delta-seconds or HTTP-date).
 * @param {string | null | undefined} value
 * @param {number} [nowMs]
 * @returns {number | null} whole seconds, at least 1; null when absent/invalid
 */
export function parseRetryAfter(value, nowMs = Date.now()) {
  if (value == null) return null;
  const v = String(value).trim();
  let seconds;
  if (/^\d+$/.test(v)) seconds = Number(v);
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  return Math.min(Math.max(seconds, 1), 86400);
}
