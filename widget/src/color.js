// Theme colour parsing and a contrast-aware text colour (WCAG 2.x formulas).

export const DEFAULT_COLOR = '#1f5fd1';
// Black, not a softer near-black: white-or-black always reaches >= 4.58:1
// (WCAG AA) on any background; #111 would leave reds near 4.2:1.
const DARK = '#000000';
const LIGHT = '#ffffff';

/**
 * Parse #rgb, #rgba, #rrggbb, #rrggbbaa, rgb() and rgba() into [r, g, b].
 * @param {unknown} value
 * @returns {[number, number, number] | null}
 */
export function parseColor(value) {
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(v);
  if (m) {
    let hex = m[1];
    if (hex.length <= 4) hex = hex.replace(/./g, '$&$&');
    const at = (/** @type {number} */ i) => parseInt(hex.slice(i, i + 2), 16);
    return [at(0), at(2), at(4)];
  }
  m = /^rgba?\(\s*(\d{1,3})\s*[,\s]\s*(\d{1,3})\s*[,\s]\s*(\d{1,3})\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/.exec(v);
  if (m) {
    const rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (rgb.every((c) => c <= 255)) return /** @type {[number, number, number]} */ (rgb);
  }
  return null;
}

/** @param {[number, number, number]} rgb */
export function toHex(rgb) {
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
}

/** @param {[number, number, number]} rgb */
export function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * @param {number} l1
 * @param {number} l2
 */
export function contrastRatio(l1, l2) {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

// White wins over black exactly when (1 + 0.05) / (L + 0.05) >= (L + 0.05) / 0.05,
// i.e. (L + 0.05)^2 <= 0.0525: L <= sqrt(0.0525) - 0.05. One comparison in the bundle
// instead of two contrast ratios (tests check it against contrastRatio).
const WHITE_UP_TO = Math.sqrt(0.0525) - 0.05;

/**
 * The text colour (white or black) with the higher contrast on `rgb`.
 * @param {[number, number, number]} rgb
 */
export function readableTextColor(rgb) {
  return luminance(rgb) <= WHITE_UP_TO ? LIGHT : DARK;
}

/**
 * Resolve a theme: first colour that parses wins, else the default.
 * @param {...unknown} candidates
 * @returns {{ background: string, text: string }}
 */
export function themeColors(...candidates) {
  for (const c of candidates) {
    const rgb = parseColor(c);
    if (rgb) return { background: toHex(rgb), text: readableTextColor(rgb) };
  }
  const rgb = /** @type {[number, number, number]} */ (parseColor(DEFAULT_COLOR));
  return { background: DEFAULT_COLOR, text: readableTextColor(rgb) };
}
