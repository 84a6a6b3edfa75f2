import { describe, expect, it } from 'vitest';
import { parseProcModules } from './parse-proc-modules.js';

describe('parseProcModules', () => {
  it('parses users lists, dashes, taint flags and sorts by name', () => {
    const text = [
      'nf_tables 282624 583 nft_chain_nat,nft_compat, Live 0xffffffffc0a53000',
      'vboxdrv 602112 2 vboxnetadp,vboxnetflt, Live 0x0000000000000000 (OE)',
      'crc32c_generic 16384 - - Live 0xffffffffc0341000',
      'loop 32768 0 - Unloading 0xffffffffc0a10000',
      '',
    ].join('\n');
    expect(parseProcModules(text)).toEqual({
      modules: [
        { name: 'crc32c_generic', size: 16384, refcount: null, usedBy: [], state: 'Live' },
        { name: 'loop', size: 32768, refcount: 0, usedBy: [], state: 'Unloading' },
        {
          name: 'nf_tables',
          size: 282624,
          refcount: 583,
          usedBy: ['nft_chain_nat', 'nft_compat'],
          state: 'Live',
        },
        { name: 'vboxdrv', size: 602112, refcount: 2, usedBy: ['vboxnetadp', 'vboxnetflt'], state: 'Live' },
      ],
      unparsed: [],
    });
  });

  it('keeps malformed lines aside and accepts empty input', () => {
    expect(parseProcModules('garbage line\nsnd 1\n')).toEqual({
      modules: [],
      unparsed: ['garbage line', 'snd 1'],
    });
    expect(parseProcModules('')).toEqual({ modules: [], unparsed: [] });
  });
});
