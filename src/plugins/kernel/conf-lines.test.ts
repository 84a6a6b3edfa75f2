import { describe, expect, it } from 'vitest';
import { meaningfulLines } from './conf-lines.js';

describe('meaningfulLines', () => {
  it('drops blank and comment lines and keeps line numbers', () => {
    const text = '# comment\n\n  ; other\n  loop  \n#x\nfuse\n';
    expect(meaningfulLines(text, { commentChars: '#;', continuation: false })).toEqual([
      { line: 4, text: 'loop' },
      { line: 6, text: 'fuse' },
    ]);
  });

  it('treats ; as text when only # starts comments', () => {
    expect(meaningfulLines('; not a comment\n', { commentChars: '#', continuation: false })).toEqual([
      { line: 1, text: '; not a comment' },
    ]);
  });

  it('joins backslash continuations the way kmod does, numbering from the first line', () => {
    const text = 'options snd-hda-intel \\\n  model=auto \\\n  power_save=1\nblacklist pcspkr\\\n';
    expect(meaningfulLines(text, { commentChars: '#', continuation: true })).toEqual([
      { line: 1, text: 'options snd-hda-intel   model=auto   power_save=1' },
      { line: 4, text: 'blacklist pcspkr' },
    ]);
  });

  it('keeps a trailing backslash when continuations are off, and handles CRLF and empty input', () => {
    expect(meaningfulLines('a = b\\\r\nc = d\r\n', { commentChars: '#', continuation: false })).toEqual([
      { line: 1, text: 'a = b\\' },
      { line: 2, text: 'c = d' },
    ]);
    expect(meaningfulLines('', { commentChars: '#', continuation: true })).toEqual([]);
  });
});
