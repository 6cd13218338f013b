// A minimal document for testing DOM builders without a browser. It
// implements only the APIs the renderer is allowed to use; any attempt to
// assign innerHTML/outerHTML throws when `forbidHTML` is set.

class FakeNode {
  constructor(doc) {
    this.ownerDocument = doc;
    this.childNodes = [];
    this.parentNode = null;
  }
  appendChild(child) {
    if (child.isFragment) {
      for (const c of [...child.childNodes]) this.appendChild(c);
      child.childNodes = [];
      return child;
    }
    if (child.parentNode) child.parentNode.childNodes.splice(child.parentNode.childNodes.indexOf(child), 1);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  append(...children) {
    for (const c of children) this.appendChild(typeof c === 'string' ? this.ownerDocument.createTextNode(c) : c);
  }
}

class FakeText extends FakeNode {
  constructor(doc, text) {
    super(doc);
    this.data = String(text);
  }
}

class FakeElement extends FakeNode {
  constructor(doc, tag, forbidHTML) {
    super(doc);
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    if (forbidHTML) {
      for (const prop of ['innerHTML', 'outerHTML']) {
        Object.defineProperty(this, prop, {
          set() {
            throw new Error(prop + ' must not be used');
          },
        });
      }
      this.insertAdjacentHTML = () => {
        throw new Error('insertAdjacentHTML must not be used');
      };
    }
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  // Just enough eventing for controls: listeners, a click, focus, insertBefore.
  addEventListener(type, fn) {
    (this.listeners ||= {})[type] = [...(this.listeners[type] || []), fn];
  }
  click() {
    return Promise.all((this.listeners?.click || []).map((fn) => fn()));
  }
  focus() {
    this.ownerDocument.activeElement = this;
  }
  remove() {
    if (this.parentNode) this.parentNode.childNodes.splice(this.parentNode.childNodes.indexOf(this), 1);
    this.parentNode = null;
  }
  insertBefore(child, ref) {
    this.appendChild(child);
    if (ref) {
      this.childNodes.pop();
      this.childNodes.splice(this.childNodes.indexOf(ref), 0, child);
    }
    return child;
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  set textContent(text) {
    this.childNodes = [];
    if (text !== '') this.appendChild(new FakeText(this.ownerDocument, text));
  }
  get textContent() {
    return this.childNodes.map((c) => (c instanceof FakeText ? c.data : c.textContent)).join('');
  }
}

export function fakeDocument({ forbidHTML = false } = {}) {
  const doc = {
    createElement: (tag) => new FakeElement(doc, tag, forbidHTML),
    createTextNode: (text) => new FakeText(doc, text),
    createDocumentFragment: () => {
      const f = new FakeNode(doc);
      f.isFragment = true;
      return f;
    },
  };
  return doc;
}

const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s) => escapeText(s).replace(/"/g, '&quot;');
const VOID = new Set(['BR', 'IMG']);

/** Serialise a fake node tree to HTML, escaping like a browser would. */
export function serialize(node) {
  if (node instanceof FakeText) return escapeText(node.data);
  const inner = node.childNodes.map(serialize).join('');
  if (!(node instanceof FakeElement)) return inner;
  const tag = node.tagName.toLowerCase();
  const attrs = [...node.attributes].map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  return VOID.has(node.tagName) ? `<${tag}${attrs}>` : `<${tag}${attrs}>${inner}</${tag}>`;
}

/**
 * The places ui.js hands to forget.js and consent.js: a panel holding a header (with the
 * close button) and the composer form (with its input), and ui.js's element builder.
 */
export function fakeSlots(doc) {
  const el = (tag, attrs = {}, ...children) => {
    const node = doc.createElement(tag);
    for (const name in attrs) if (attrs[name] !== false) node.setAttribute(name, attrs[name] === true ? '' : attrs[name]);
    node.append(...children);
    return node;
  };
  const panel = el('div');
  const close = el('button');
  const header = el('div', {}, close);
  const input = el('textarea');
  const form = el('form', {}, input);
  panel.append(header, form);
  return { el, panel, header, close, form, input, trash: () => el('svg') };
}
