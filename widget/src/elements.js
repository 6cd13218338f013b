// The element and icon builders every view module shares. Markup is built only
// through these (attributes set one by one, children appended as nodes or text),
// so no view module ever turns a string into HTML; one copy, bound to the
// injected document, instead of one per module.

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
 * `el(tag, attrs, ...children)`: `false` leaves an attribute out, `true` sets it empty.
 * @typedef {(tag: string, attrs?: Record<string, string | boolean>, ...children: (Node | string)[]) => HTMLElement} El
 * @typedef {(name: keyof typeof ICONS, cls?: string) => SVGSVGElement} Icon
 */

/**
 * @param {Document} doc
 * @returns {{ el: El, icon: Icon }}
 */
export function createBuilders(doc) {
  /** @type {El} */
  function el(tag, attrs = {}, ...children) {
    const node = doc.createElement(tag);
    for (const name in attrs) {
      const v = attrs[name];
      if (v !== false) node.setAttribute(name, v === true ? '' : v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  /** @type {Icon} */
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

  return { el, icon };
}
