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
  it('writes the bytes of the joined lines and a newline, a megabyte at a time, each once the reader took the last', async () => {
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

  it('writes a line longer than a megabyte whole, and text UTF-8 cannot carry as Buffer.from does', async () => {
    const lines = ['first', '✗'.repeat(700_000), 'lone \ud800 surrogate', ''];
    const { sink, chunks, ended } = slowSink();
    await sayLines(lines, sink);
    await ended();
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(`${lines.join('\n')}\n`));
  });

  it('writes nothing for no lines, and stops once the reader has gone away', async () => {
    const empty = slowSink();
    await sayLines([], empty.sink);
    await empty.ended();
    assert.equal(empty.chunks.length, 0);
    let writes = 0;
    const gone: Writable = new Writable({
      write(_chunk, _encoding, done) {
        writes++;
        gone.destroy();
        done();
      },
    });
    await sayLines(
      Array.from({ length: 100_000 }, (_, i) => `line ${i} `.repeat(4)),
      gone,
    );
    assert.equal(writes, 1);
  });
});
