// The shell around the conversation: the host element and its open shadow root with
// our stylesheet, the launcher button, the dialog panel and its header (avatar, title,
// close), and opening and closing it (launcher, close button, Escape, window.Shopbot)
// with focus handed to the input and back to the launcher. In inline mode there is no
// launcher and the panel is always shown. The log, status line and composer inside the
// panel are their own modules; ui.js puts them in.

import css from './styles.css';
import { safeHref } from './markdown.js';

/**
 * @typedef {{
 *   title: string,
 *   avatarUrl: string | null,
 *   position: 'left' | 'right',
 *   background: string,
 *   text: string,
 *   inline: boolean,
 * }} ShellConfig
 */

/**
 * @param {import('./elements.js').El} el
 * @param {import('./elements.js').Icon} icon
 * @param {ShellConfig} cfg
 * @param {import('./ui.js').Actions} actions `setOpen` is told when the panel opens or closes
 * @param {ReturnType<typeof import('./messages.js').createMessageLog>} messages scrolled to the end on opening
 * @param {HTMLElement} input focused on opening
 */
export function createShell(el, icon, cfg, actions, messages, input) {
  const inline = cfg.inline;

  // Host + shadow root. Open mode: see README ("Why an open shadow root").
  const host = el('div', { 'data-shopbot': '', 'data-inline': inline, 'data-testid': 'shopbot-host' });
  host.style.cssText = 'all:initial';
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root) {
    // Constructed sheets are not subject to a store's CSP style-src. Every browser that
    // adopts sheets also constructs them (replaceSync came with it: Chrome 73, Firefox 101,
    // Safari 16.4); older ones (Firefox 78, Safari 15) get a <style>.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    /** @type {ShadowRoot} */ (root).appendChild(el('style', {}, css));
  }

  const wrap = el('div', { class: 'r' + (inline ? ' inline' : cfg.position === 'left' ? ' left' : '') });
  wrap.style.setProperty('--c', cfg.background);
  wrap.style.setProperty('--f', cfg.text);
  root.appendChild(wrap);

  const launcher = inline
    ? null
    : el(
        'button',
        {
          type: 'button',
          class: 'l',
          'aria-expanded': 'false',
          'aria-controls': 'shopbot-panel',
          'aria-label': 'Chat with ' + cfg.title,
          'data-testid': 'shopbot-launcher',
        },
        icon('chat', 'i1'),
        icon('close', 'i2'),
      );

  const closeButton = inline
    ? null
    : el(
        'button',
        { type: 'button', class: 'x', 'aria-label': 'Close chat', 'data-testid': 'shopbot-close' },
        icon('close'),
      );
  const avatarSrc = safeHref(cfg.avatarUrl);
  const header = el('div', { class: 'h' });
  if (avatarSrc) {
    const avatar = el('img', { class: 'av', alt: '', src: avatarSrc, 'data-testid': 'shopbot-avatar' });
    avatar.addEventListener('error', () => avatar.remove());
    header.append(avatar);
  }
  header.append(el('div', { class: 't', 'data-testid': 'shopbot-title' }, cfg.title));
  if (closeButton) header.append(closeButton);

  const panel = el(
    'div',
    {
      id: 'shopbot-panel',
      class: 'p',
      role: 'dialog',
      'aria-modal': 'false',
      'aria-label': cfg.title,
      hidden: !inline,
      'data-testid': 'shopbot-panel',
    },
    header,
  );
  if (launcher) wrap.append(launcher);
  wrap.append(panel);

  function open(focus = true) {
    if (launcher && panel.hidden) {
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      actions.setOpen(true);
      messages.scroll(true);
    }
    if (focus) input.focus();
  }
  function close() {
    if (!launcher || panel.hidden) return;
    const hadFocus = !!root.activeElement;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    actions.setOpen(false);
    // Only take focus back if it was inside the widget (not on a
    // programmatic close while the shopper is elsewhere on the page).
    if (hadFocus) launcher.focus();
  }
  if (launcher) launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  if (closeButton) closeButton.addEventListener('click', close);
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && launcher) {
      e.stopPropagation();
      close();
    }
  });

  return { host, root, panel, header, closeButton, open, close };
}
