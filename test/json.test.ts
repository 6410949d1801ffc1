// jsonPieces: JSON.stringify(value, null, 2) made a piece at a time, which must join to exactly JSON.stringify's text.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sayJson } from '../src/cli/output.js';
import { check } from '../src/check/index.js';
import { jsonPieces } from '../src/shared/index.js';
import type { InfraModel } from '../src/model/index.js';
import { exampleModel } from './support/synth.js';

const joined = (value: unknown) => [...jsonPieces(value)].join('');
const same = (value: unknown, what: string) => assert.equal(joined(value), JSON.stringify(value, null, 2), what);

let model: InfraModel;
exampleModel({ before, after }, 'service-network', (_, loaded) => (model = loaded));

describe('jsonPieces', () => {
  it("joins to JSON.stringify's text for check's answer, in pieces (a property, an array's element)", () => {
    const report = check(model);
    same(report, 'the report');
    const pieces = [...jsonPieces(report)];
    assert.ok(pieces.length > report.flows.length, `${pieces.length} pieces for ${report.flows.length} flows`);
  });

  it('keeps every rule of JSON.stringify where it cuts: left-out values, empty containers, toJSON, text', () => {
    const date = new Date(0);
    const cases: [unknown, string][] = [
      [{}, 'an empty object'],
      [[], 'an empty array'],
      [{ a: [], b: {}, c: [[]], d: [{}] }, 'empty containers inside'],
      [{ a: undefined, b: () => 1, c: Symbol('s'), d: 1 }, 'properties JSON leaves out'],
      [{ a: undefined }, 'an object whose only property is left out'],
      [{ list: [undefined, () => 1, Symbol('s'), null, 0] }, 'elements written as null'],
      [[undefined, { a: [1, [2, { b: 3 }]] }, 'x'], 'an array at the top'],
      [{ when: date, list: [date, 1] }, 'a toJSON where the pieces are cut'],
      [date, 'a toJSON at the top'],
      [{ toJSON: () => ({ a: 1 }) }, 'an object with its own toJSON'],
      [{ list: [{ toJSON: (key: string) => key }, 2] }, "a toJSON that writes its key, in an array's elements"],
      [[{ toJSON: (key: string) => key }, 1], 'the same at the top'],
      [{ f: Object.assign(() => 1, { toJSON: () => 'f' }) }, 'a function with a toJSON'],
      [new String('ab'), 'a boxed string'],
      [{ s: new String('ab'), m: new Map([[1, 2]]) }, 'boxed and Map values'],
      [new Map([[1, 2]]), 'a Map at the top'],
      [Object.assign(Object.create(null) as object, { a: 1, list: [1, [2]] }), 'an object without a prototype'],
      [
        new (class Row {
          a = 1;
          list = [1, 2];
        })(),
        "a class's instance",
      ],
      [{ 'a"b\n': 'line\nbreak "quoted" \u2028 日本語 \ud83d\ude00', n: -0, big: 1e21, nan: NaN }, 'keys and text'],
      [{ sparse: [1, , 3] }, 'a sparse array'], // eslint-disable-line no-sparse-arrays
      ['text', 'a string at the top'],
      [42, 'a number at the top'],
      [null, 'null'],
    ];
    for (const [value, what] of cases) same(value, what);
  });
});

describe('sayJson', () => {
  it('writes a megabyte at a time, each once a slow reader took the last, and a newline', async () => {
    const value = { rows: Array.from({ length: 40_000 }, (_, i) => ({ i, text: `row ${i} `.repeat(8) })) };
    const chunks: string[] = [];
    let held = 0;
    const slow = new Writable({
      highWaterMark: 1 << 16,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        held = Math.max(held, slow.writableLength); // what waits for the reader, this chunk included
        setTimeout(done, 1); // a reader that takes its time
      },
    });
    await sayJson(value, slow);
    await new Promise((resolve) => slow.end(resolve));
    assert.equal(chunks.join(''), `${JSON.stringify(value, null, 2)}\n`);
    assert.ok(chunks.length >= 3, `${chunks.length} writes`);
    assert.ok(held <= 2 << 20, `at most about one piece held for the reader, not the whole answer: ${held} bytes`);
  });

  it('a value JSON cannot write rejects part-way, after what was written', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const rows: unknown[] = Array.from({ length: 40_000 }, (_, i) => ({ i, text: `row ${i} `.repeat(8) }));
    const chunks: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void chunks.push(chunk.toString())) });
    await assert.rejects(sayJson({ rows: [...rows, cyclic] }, sink), TypeError);
    assert.ok(chunks.length >= 1 && chunks.join('').startsWith('{\n  "rows": ['), 'the answer so far');
  });

  it('stops writing once the reader has gone away', async () => {
    const value = { rows: Array.from({ length: 40_000 }, (_, i) => ({ i, text: `row ${i} `.repeat(8) })) };
    let writes = 0;
    const gone: Writable = new Writable({
      write(_chunk, _encoding, done) {
        writes++;
        gone.destroy();
        done();
      },
    });
    await sayJson(value, gone);
    assert.equal(writes, 1);
  });
});
