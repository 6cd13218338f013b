// Incremental Server-Sent Events parser (WHATWG "event stream interpretation").
// We read SSE from fetch() because EventSource can neither POST nor send an
// Authorization header. Chunks may split anywhere: inside a field, between a
// CR and its LF, or between two events.

/**
 * @typedef {{ event: string, data: string }} SSEEvent
 */

/**
 * @param {(event: SSEEvent) => void} onEvent called once per dispatched event
 * @returns {{ push: (chunk: string) => void, end: () => void }}
 */
export function createSSEParser(onEvent) {
  let buffer = '';
  let started = false;
  let skipLF = false; // the previous chunk ended with CR; a leading LF belongs to it
  let type = '';
  let data = '';
  let hasData = false;

  /** @param {string} line */
  function processLine(line) {
    if (line === '') {
      // Blank line: dispatch. An event with no data lines is dropped (spec).
      if (hasData) onEvent({ event: type || 'message', data });
      type = '';
      data = '';
      hasData = false;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return; // comment, e.g. ": ping"
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* ' ' */) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') {
      data = hasData ? data + '\n' + value : value;
      hasData = true;
    }
    // "id", "retry" and unknown fields are ignored: we never reconnect a POST, so
    // there is no Last-Event-ID to send back.
  }

  return {
    push(chunk) {
      if (!chunk) return;
      if (!started) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (skipLF && chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
      skipLF = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        processLine(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 === buffer.length) skipLF = true;
          else if (buffer.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    end() {
      // A trailing partial line without a blank line after it is never
      // dispatched (spec): the server always terminates events with "\n\n".
      buffer = '';
      type = '';
      data = '';
      hasData = false;
    },
  };
}

/**
 * Parse a complete SSE text (convenience for tests and non-streaming use).
 * @param {string} text
 * @returns {SSEEvent[]}
 */
export function parseSSE(text) {
  /** @type {SSEEvent[]} */
  const out = [];
  const p = createSSEParser((e) => out.push(e));
  p.push(text);
  p.end();
  return out;
}
