import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSSEParser, parseSSE } from '../src/sse.js';

/** Feed `chunks` one by one and collect the events. */
function feed(chunks) {
  const events = [];
  const parser = createSSEParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  parser.end();
  return events;
}

const STREAM =
  ': ping\n\n' +
  'event: token\ndata: {"delta":"Hel"}\n\n' +
  'event: token\ndata: {"delta":"lo"}\n\n' +
  ': ping\n\n' +
  'event: sources\ndata: {"sources":[]}\n\n' +
  'event: done\ndata: {"conversation_id":"c1","message_id":"m1","answer":"Hello"}\n\n';

test('parses named events and skips comments', () => {
  const events = parseSSE(STREAM);
  assert.deepEqual(
    events.map((e) => e.event),
    ['token', 'token', 'sources', 'done'],
  );
  assert.equal(JSON.parse(events[0].data).delta, 'Hel');
  assert.equal(JSON.parse(events[3].data).answer, 'Hello');
});

test('any split of the stream yields the same events', () => {
  const whole = parseSSE(STREAM);
  for (let size = 1; size <= 7; size++) {
    const chunks = [];
    for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
    assert.deepEqual(feed(chunks), whole, `chunk size ${size}`);
  }
  for (let cut = 0; cut <= STREAM.length; cut++) {
    assert.deepEqual(feed([STREAM.slice(0, cut), STREAM.slice(cut)]), whole, `cut at ${cut}`);
  }
});

test('CRLF, CR and LF line endings, including CR/LF split across chunks', () => {
  const crlf = 'event: token\r\ndata: {"delta":"a"}\r\n\r\n';
  const cr = 'event: token\rdata: {"delta":"a"}\r\r';
  const expected = [{ event: 'token', data: '{"delta":"a"}' }];
  assert.deepEqual(parseSSE(crlf), expected);
  assert.deepEqual(parseSSE(cr), expected);
  assert.deepEqual(feed(['event: token\r', '\ndata: {"delta":"a"}\r', '\n\r', '\n']), expected);
});

test('multi-line data is joined with newlines; one leading space is stripped', () => {
  const events = parseSSE('data: line one\ndata:line two\ndata:  indented\n\n');
  assert.deepEqual(events, [{ event: 'message', data: 'line one\nline two\n indented' }]);
});

test('events without data, and an unterminated last event, are not dispatched', () => {
  assert.deepEqual(parseSSE('event: token\n\n'), []);
  assert.deepEqual(parseSSE('event: done\ndata: {"a":1}'), []);
  assert.deepEqual(parseSSE(': only a comment\n\n:\n\n'), []);
});

test('a leading BOM is dropped; id, retry and unknown fields are ignored (a POST is never resumed)', () => {
  const events = parseSSE('\ufeffid: 7\nretry: 1000\nfoo: bar\nevent: token\ndata\n\n');
  assert.deepEqual(events, [{ event: 'token', data: '' }]);
});

test('event type resets after each dispatch', () => {
  const events = parseSSE('event: token\ndata: 1\n\ndata: 2\n\n');
  assert.deepEqual(
    events.map((e) => e.event),
    ['token', 'message'],
  );
});
