// sayLines: lines on stdout as UTF-8, a megabyte at a time, byte for byte what the joined text would have been.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { sayLines } from '../src/cli/output.js';

/** A stream that keeps what it is given, taking each write after a timer (a reader that takes its time). */
function slowSink() {
  const chunks: Buffer[] = [];
  let held = 0;
  const sink = new Writable({
    highWaterMark: 1 << 16,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      held = Math.max(held, sink.writableLength);
      setTimeout(done, 1);
    },
  });
  const ended = () => new Promise((resolve) => sink.end(resolve));
  return { sink, chunks, ended, held: () => held };
}

describe('sayLines', () => {
  it('writes the joined lines and a newline, a megabyte at a time, each once the reader took the last', async () => {
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `  ✓ reachable ${i} 日本語 \ud83d\ude00 ${'x'.repeat(i % 50)}`,
    );
    const { sink, chunks, ended, held } = slowSink();
    await sayLines(lines, sink);
    await ended();
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(`${lines.join('\n')}\n`));
    assert.ok(chunks.length >= 3, `${chunks.length} writes`);
    assert.ok(held() <= 2 << 20, `at most about one megabyte held for the reader: ${held()} bytes`);
  });

  it('writes a line longer than a megabyte on its own, and text UTF-8 cannot carry as Buffer.from does', async () => {
    const lines = [
      'first',
      '✗'.repeat(700_000),
      'lone \ud800 surrogate',
      ...Array.from({ length: 9 }, () => 'y'.repeat(1e5)),
    ];
    const { sink, chunks, ended } = slowSink();
    await sayLines(lines, sink);
    await ended();
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(`${lines.join('\n')}\n`));
    assert.equal(chunks[1]?.length, 3 * 700_000 + 1, 'the long line alone');
    assert.ok(
      chunks.every((chunk, i) => i === 1 || chunk.length <= 1 << 20),
      `the others a megabyte at most: ${chunks.map((chunk) => chunk.length).join(', ')}`,
    );
  });

  it('writes nothing for no lines, and stops once the reader has gone away', { timeout: 10_000 }, async () => {
    const empty = slowSink();
    await sayLines([], empty.sink);
    await empty.ended();
    assert.equal(empty.chunks.length, 0);
    let calls = 0;
    const gone: Writable = new Writable({
      write(_chunk, _encoding, done) {
        gone.destroy();
        done();
      },
    });
    const write = gone.write.bind(gone);
    gone.write = ((...args: Parameters<typeof write>) => (calls++, write(...args))) as typeof gone.write;
    await sayLines(
      Array.from({ length: 100_000 }, (_, i) => `line ${i} `.repeat(4)),
      gone,
    );
    assert.equal(calls, 1, 'no write after the reader went away');
  });
});
