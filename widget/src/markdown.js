// A deliberately small, safe Markdown subset for assistant answers.
//
// parseMarkdown() turns text into a DOM-free token tree; renderMarkdown()
// builds DOM nodes from it with createElement/createTextNode only. Model and
// catalogue text never reaches innerHTML, so "<script>" or "<img onerror>"
// in an answer renders as visible text. Links are kept only for absolute
// http(s) URLs; anything else (javascript:, data:, relative, protocol-
// relative) degrades to its plain text.
//
// Supported: **bold** / __bold__, *italic* / _italic_, `code`, [text](url),
// bare http(s) URLs, "-", "*", "+" and "1." lists, "#" headings (shown bold),
// paragraphs and single line breaks.

/**
 * @typedef {string | { t: 'br' } | { t: 'code', c: string } | { t: 'b' | 'i', c: Inline[] } | { t: 'a', href: string, c: Inline[] }} Inline
 * @typedef {{ t: 'p', c: Inline[] } | { t: 'ul', c: Inline[][] } | { t: 'ol', start: number, c: Inline[][] }} Block
 */

/**
 * Return a normalised absolute http(s) URL, or null when the URL is unsafe.
 * @param {unknown} url
 * @returns {string | null}
 */
export function safeHref(url) {
  if (typeof url !== 'string') return null;
  const u = url.trim();
  // Checked on the raw text before URL() gets a chance to strip tabs and
  // newlines out of things like "java\nscript:".
  if (!/^https?:\/\/[^\s/?#\\]/i.test(u) || /[\u0000-\u001f\u007f\s]/.test(u)) return null;
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const LIST_ITEM = /^ {0,3}([-*+]|(\d{1,9})[.)])[ \t]+(.*)$/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * @param {unknown} source
 * @returns {Block[]}
 */
export function parseMarkdown(source) {
  const lines = String(source == null ? '' : source).replace(/\r\n?/g, '\n').split('\n');
  /** @type {Block[]} */
  const blocks = [];
  /** @type {string[] | null} */
  let para = null;
  /** @type {{ ordered: boolean, start: number, items: string[] } | null} */
  let list = null;

  const flushPara = () => {
    if (para) blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
    para = null;
  };
  const flushList = () => {
    if (list) {
      const items = list.items.map((item) => parseInline(item));
      blocks.push(list.ordered ? { t: 'ol', start: list.start, c: items } : { t: 'ul', c: items });
    }
    list = null;
  };

  for (const raw of lines) {
    const line = raw.replace(/[ \t]+$/, '');
    if (!line || RULE.test(line)) {
      flushPara();
      flushList();
      continue;
    }
    let m = LIST_ITEM.exec(line);
    if (m) {
      const ordered = m[2] !== undefined;
      flushPara();
      if (list && list.ordered !== ordered) flushList();
      if (!list) list = { ordered, start: ordered ? Number(m[2]) : 1, items: [] };
      list.items.push(m[3]);
      continue;
    }
    m = HEADING.exec(line);
    if (m) {
      flushPara();
      flushList();
      blocks.push({ t: 'p', c: [{ t: 'b', c: parseInline(m[1]) }] });
      continue;
    }
    if (list && /^[ \t]/.test(line)) {
      // Indented continuation of the previous list item.
      list.items[list.items.length - 1] += '\n' + line.trim();
      continue;
    }
    flushList();
    (para || (para = [])).push(line.trim());
  }
  flushPara();
  flushList();
  return blocks;
}

const LINK = /\[([^\]\n]*)\]\([ \t]*<?([^\s<>()]*(?:\([^\s<>()]*\)[^\s<>()]*)*)>?(?:[ \t]+"[^"\n]*")?[ \t]*\)/y;
const BARE_URL = /https?:\/\/[^\s<>"'`]+/iy;
const ESCAPABLE = '\\`*_[]()#+-.!>~|{}';

/**
 * @param {string} s
 * @param {boolean} [inLink] inside a link label: no nested links
 * @returns {Inline[]}
 */
export function parseInline(s, inLink = false) {
  /** @type {Inline[]} */
  const out = [];
  let text = '';
  /** @param {Inline} node */
  const push = (node) => {
    if (text) out.push(text);
    text = '';
    out.push(node);
  };

  for (let i = 0; i < s.length; ) {
    const ch = s[i];
    const prev = i > 0 ? s[i - 1] : '';
    if (ch === '\\' && i + 1 < s.length && ESCAPABLE.indexOf(s[i + 1]) >= 0) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      push({ t: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        push({ t: 'code', c: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const strong = s[i + 1] === ch;
      const width = strong ? 2 : 1;
      const next = s[i + width] || '';
      const leftOk = ch === '*' || !/[\p{L}\p{N}]/u.test(prev);
      if (next && !/\s/.test(next) && leftOk) {
        const end = findClose(s, ch, width, i + width);
        if (end > 0) {
          push({ t: strong ? 'b' : 'i', c: parseInline(s.slice(i + width, end), inLink) });
          i = end + width;
          continue;
        }
      }
    }
    if (ch === '[' && !inLink) {
      LINK.lastIndex = i;
      const m = LINK.exec(s);
      if (m) {
        const href = safeHref(m[2]);
        const label = parseInline(m[1], true);
        if (href) push({ t: 'a', href, c: label.length ? label : [href] });
        else for (const node of label) typeof node === 'string' ? (text += node) : push(node);
        i += m[0].length;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && !inLink && !/[\p{L}\p{N}]/u.test(prev)) {
      BARE_URL.lastIndex = i;
      const m = BARE_URL.exec(s);
      if (m) {
        const url = trimUrl(m[0]);
        const href = safeHref(url);
        if (href) {
          push({ t: 'a', href, c: [url] });
          i += url.length;
          continue;
        }
      }
    }
    text += ch;
    i++;
  }
  if (text) out.push(text);
  return out;
}

/**
 * Find the closing delimiter for emphasis opened at `from`.
 * @param {string} s
 * @param {string} ch '*' or '_'
 * @param {number} width 1 (italic) or 2 (bold)
 * @param {number} from
 */
function findClose(s, ch, width, from) {
  for (let j = from + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '\n' && s[j + 1] === '\n') return -1;
    if (c !== ch) continue;
    let run = 1;
    while (s[j + run] === ch) run++;
    const before = s[j - 1];
    const after = s[j + run] || '';
    const rightOk = ch === '*' || !/[\p{L}\p{N}]/u.test(after);
    if (!/\s/.test(before) && rightOk) {
      if (run === width) return j;
      // "***x***": close the bold one character in, leaving "*x*" inside it.
      if (run === 3) return width === 2 ? j + 1 : j;
    }
    j += run - 1;
  }
  return -1;
}

/** Drop trailing punctuation from a bare URL, keeping balanced parentheses. */
function trimUrl(/** @type {string} */ url) {
  for (;;) {
    const last = url[url.length - 1];
    if (/[.,;:!?'"\]*_]/.test(last)) url = url.slice(0, -1);
    else if (last === ')' && url.split('(').length < url.split(')').length) url = url.slice(0, -1);
    else return url;
  }
}

/**
 * Build DOM nodes for a token tree. `doc` only needs createElement,
 * createTextNode and createDocumentFragment, so tests can pass a fake.
 * @param {Block[]} blocks
 * @param {Document} doc
 * @returns {DocumentFragment}
 */
export function renderMarkdown(blocks, doc) {
  const frag = doc.createDocumentFragment();
  for (const block of blocks) {
    if (block.t === 'p') {
      const p = doc.createElement('p');
      renderInline(block.c, p, doc);
      frag.appendChild(p);
    } else {
      const list = doc.createElement(block.t);
      if (block.t === 'ol' && block.start !== 1) list.setAttribute('start', String(block.start));
      for (const item of block.c) {
        const li = doc.createElement('li');
        renderInline(item, li, doc);
        list.appendChild(li);
      }
      frag.appendChild(list);
    }
  }
  return frag;
}

/**
 * @param {Inline[]} nodes
 * @param {Node} parent
 * @param {Document} doc
 */
function renderInline(nodes, parent, doc) {
  for (const node of nodes) {
    if (typeof node === 'string') {
      parent.appendChild(doc.createTextNode(node));
    } else if (node.t === 'br') {
      parent.appendChild(doc.createElement('br'));
    } else if (node.t === 'code') {
      const el = doc.createElement('code');
      el.textContent = node.c;
      parent.appendChild(el);
    } else {
      const el = doc.createElement(node.t === 'b' ? 'strong' : node.t === 'i' ? 'em' : 'a');
      if (node.t === 'a') {
        el.setAttribute('href', node.href);
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      renderInline(node.c, el, doc);
      parent.appendChild(el);
    }
  }
}
