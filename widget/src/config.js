// Where the widget finds its API.

/**
 * The API lives where widget.js was served from, unless data-api-url says
 * otherwise (e.g. an API mounted under a path).
 * @param {{ src?: string, getAttribute(name: string): string | null }} script
 * @param {string} pageUrl
 */
export function apiBase(script, pageUrl) {
  const override = (script.getAttribute('data-api-url') || '').trim();
  try {
    const url = new URL(override || script.src || pageUrl, pageUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return override ? url.href.replace(/\/+$/, '') : url.origin;
  } catch {
    return null;
  }
}
