// npm run dev: a fake widget API and a WooCommerce-like product page, with
// no dependencies and no Python backend, for working on the widget by hand.
//   store page  http://127.0.0.1:8101/           (different origin from the API,
//   API         http://localhost:8102/widget.js   so CORS is exercised)
// Messages that trigger states: "ratelimit" (429), "boom" (500),
// "streamerror" (SSE error event), "xss" (hostile markup in the answer).
// ?key=wk_forbidden on the page gets a 403 from the sessions endpoint,
// ?key=wk_consent a bot that asks for consent (answers without it keep nothing), and
// ?attrs=... adds attributes to the script tag, e.g. ?attrs=data-position%3D%22left%22

import http from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WIDGET = fileURLToPath(new URL('../../api/static/widget.js', import.meta.url));
const API_PORT = Number(process.env.API_PORT || 8102);
const STORE_PORT = Number(process.env.STORE_PORT || 8101);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let sessions = 0;

const SOURCES = [
  {
    product_id: 'p1', external_id: '42', sku: 'SOCK-1', title: 'Merino Sock <img src=x onerror=alert(1)>',
    url: `http://127.0.0.1:${STORE_PORT}/?p=42`, price: '12.50', currency: 'EUR', in_stock: true, snippet: '…',
    image_url: `http://localhost:${API_PORT}/img.svg`, add_to_cart_url: `http://127.0.0.1:${STORE_PORT}/?add-to-cart=42`,
  },
  { product_id: 'p2', external_id: '43', sku: 'HAT-1', title: 'Wool Hat', url: `http://127.0.0.1:${STORE_PORT}/?p=43`, price: '30', currency: 'USD', in_stock: false, snippet: '…', add_to_cart_url: null },
  { document_id: 'd1', title: 'Shipping policy', snippet: 'Ships in 2 days.' },
];

function problem(res, status, code, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: `https://shopbot.dev/problems/${code}`, title: code, status, code, detail: code }));
}

const api = http.createServer(async (req, res) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '*');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  res.setHeader('Access-Control-Allow-Methods', 'POST');
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  res.setHeader('Vary', 'Origin');
  if (req.method === 'OPTIONS') return res.writeHead(204).end();
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = raw ? JSON.parse(raw) : {};
  console.log(req.method, req.url, raw);

  if (req.url === '/widget.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
    return res.end(readFileSync(WIDGET));
  }
  if (req.url === '/img.svg') {
    res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
    return res.end('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#c9a"/></svg>');
  }
  if (req.url === '/widget/v1/sessions') {
    if (body.widget_key === 'wk_forbidden') return problem(res, 403, 'origin_not_allowed');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({
      session_token: `tok${++sessions}`,
      expires_at: new Date(Date.now() + 3600e3).toISOString(),
      bot: {
        name: 'Sockbot', greeting: 'Hi! Ask me about **socks**.',
        theme: { primary_color: '#7b2cbf', position: 'right', title: 'Sock Shop helper', avatar_url: null },
        consent_required: body.widget_key === 'wk_consent', consent_text: null,
      },
    }));
  }
  if (req.url === '/widget/v1/chat') {
    if (body.message === 'ratelimit') return problem(res, 429, 'rate_limited', { 'Retry-After': '5' });
    if (body.message === 'boom') return problem(res, 500, 'internal');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(': ping\n\n');
    await sleep(500);
    if (body.message === 'streamerror') {
      res.write('event: error\ndata: {"code":"llm_unavailable","detail":"upstream"}\n\n');
      return res.end();
    }
    const text = body.message === 'xss'
      ? 'Here: <script>alert(1)</script> [bad](javascript:alert(1)) and [good](https://example.com)'
      : `You asked about **${body.page?.product_id ? 'product ' + body.page.product_id : 'our shop'}**. The *Merino Sock* costs 12.50 EUR:\n- warm\n- soft`;
    // As the API does: checked text, a sentence (or line) per token.
    for (const part of text.split(/(?<=[.!?](?= ))|(?<=\n)/)) {
      res.write(`event: token\ndata: ${JSON.stringify({ delta: part })}\n\n`);
      await sleep(300);
    }
    let answer = text;
    if (body.message === 'replace') {
      // A whole-answer check took back what was sent: the full checked text replaces it.
      answer = "I can't share how I'm set up, but I'm happy to help you find something in the store.";
      res.write(`event: replace\ndata: ${JSON.stringify({ text: answer })}\n\n`);
    }
    res.write(`event: sources\ndata: ${JSON.stringify({ sources: SOURCES })}\n\n`);
    // Consent required and not given: an answer, but nothing kept to point at.
    const kept = body.consent !== false;
    res.write(`event: done\ndata: ${JSON.stringify({ conversation_id: kept ? 'conv1' : null, message_id: kept ? `msg${Date.now()}` : null, answer })}\n\n`);
    return res.end();
  }
  if (req.url === '/widget/v1/feedback' || req.url === '/widget/v1/events') return res.writeHead(204).end();
  problem(res, 404, 'not_found');
});

const store = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const key = (url.searchParams.get('key') || 'wk_dev').replace(/[^\w-]/g, '');
  const attrs = url.searchParams.get('attrs') || '';
  const id = (url.searchParams.get('p') || '42').replace(/\D/g, '');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="de-DE"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover"><title>Dev store</title>
<style>/* hostile store CSS that must not reach the widget */
* { font-family: Georgia, serif !important; box-sizing: content-box !important; }
button { background: lime !important; } textarea { display: none !important; } div { color: red !important; }
</style></head>
<body class="product-template-default single-product postid-${id} woocommerce">
<h1>Product ${id}</h1><form class="cart"><button name="add-to-cart" value="${id}">Add to cart</button></form>
<div id="inline-here"></div>
<script src="http://localhost:${API_PORT}/widget.js" data-widget-key="${key}" ${attrs} async></script>
</body></html>`);
});

api.listen(API_PORT, '127.0.0.1');
store.listen(STORE_PORT, '127.0.0.1', () => console.log(`store page: http://127.0.0.1:${STORE_PORT}/  (API on http://localhost:${API_PORT})`));
