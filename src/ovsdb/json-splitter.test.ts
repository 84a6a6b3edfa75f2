import { describe, expect, it } from 'vitest';
import { JsonTextSplitter } from './json-splitter.js';

describe('JsonTextSplitter', () => {
  it('splits concatenated messages with and without whitespace between them', () => {
    const splitter = new JsonTextSplitter();
    expect(splitter.push('{"id":1,"result":[]}{"id":2,"result":{}}\n {"id":3,"error":null}')).toEqual([
      '{"id":1,"result":[]}',
      '{"id":2,"result":{}}',
      '{"id":3,"error":null}',
    ]);
  });

  it('assembles a message from chunks split at every position', () => {
    const message =
      '{"method":"update","params":["m",{"Bridge":{"u":{"new":{"name":"b{r}\\"[0]"}}}}],"id":null}';
    for (let cut = 1; cut < message.length; cut++) {
      const splitter = new JsonTextSplitter();
      const texts = [...splitter.push(message.slice(0, cut)), ...splitter.push(message.slice(cut))];
      expect(texts).toEqual([message]);
      expect(JSON.parse(texts[0] ?? '')).toEqual(JSON.parse(message));
    }
  });

  it('ignores braces, brackets and escaped quotes inside strings', () => {
    const splitter = new JsonTextSplitter();
    const tricky = '{"a":"}}]]{{[[","b":"\\\\","c":"\\"}"}';
    expect(splitter.push(tricky)).toEqual([tricky]);
  });

  it('keeps a partial message until it is complete, one character at a time', () => {
    const splitter = new JsonTextSplitter();
    const message = '{"x":[1,2,{"y":"ż\\u0041"}]}';
    const out: string[] = [];
    for (const ch of message) out.push(...splitter.push(ch));
    expect(out).toEqual([message]);
  });

  it('refuses text that is not a JSON object or array between messages', () => {
    expect(() => new JsonTextSplitter().push('hello')).toThrow(/unexpected 'h'/);
    expect(() => new JsonTextSplitter().push('{}]')).toThrow(/unexpected '\]'/);
  });

  it('refuses a message that grows past the limit', () => {
    const splitter = new JsonTextSplitter(16);
    expect(() => splitter.push('{"a":"0123456789abcdef')).toThrow(/exceeds 16 characters/);
  });

  it('starts clean after reset', () => {
    const splitter = new JsonTextSplitter();
    splitter.push('{"half":');
    splitter.reset();
    expect(splitter.push('{"whole":true}')).toEqual(['{"whole":true}']);
  });
});
