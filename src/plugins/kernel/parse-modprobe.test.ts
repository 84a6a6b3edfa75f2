import { describe, expect, it } from 'vitest';
import { mergeModprobeDirectives, normalizeModuleName, parseModprobeConf } from './parse-modprobe.js';

const DEBIAN_STYLE = `# /etc/modprobe.d/local.conf
blacklist pcspkr
blacklist   snd-pcsp

options snd-hda-intel model=auto \\
    power_save=1
options i915 enable_psr=0 "fake_name=a b"
install usb-storage /bin/true
remove  nouveau  /sbin/modprobe -r --ignore-remove nouveau && echo done
alias char-major-10-175 agpgart
alias pci:v00008086d*sv*sd*bc03sc[0-9a-f]i* i915
softdep nvidia pre: i2c-core ecdh_generic post: nvidia-drm
`;

describe('parseModprobeConf', () => {
  it('parses every kmod directive, continuations included', () => {
    const { directives, problems } = parseModprobeConf(DEBIAN_STYLE);
    expect(problems).toEqual([]);
    expect(directives).toEqual([
      { kind: 'blacklist', module: 'pcspkr' },
      { kind: 'blacklist', module: 'snd_pcsp' },
      { kind: 'options', module: 'snd_hda_intel', options: ['model=auto', 'power_save=1'] },
      { kind: 'options', module: 'i915', options: ['enable_psr=0', '"fake_name=a b"'] },
      { kind: 'install', module: 'usb_storage', command: '/bin/true' },
      {
        kind: 'remove',
        module: 'nouveau',
        command: '/sbin/modprobe -r --ignore-remove nouveau && echo done',
      },
      { kind: 'alias', pattern: 'char_major_10_175', module: 'agpgart' },
      { kind: 'alias', pattern: 'pci:v00008086d*sv*sd*bc03sc[0-9a-f]i*', module: 'i915' },
      { kind: 'softdep', module: 'nvidia', pre: ['i2c_core', 'ecdh_generic'], post: ['nvidia_drm'] },
    ]);
  });

  it('reports unknown, deprecated and malformed directives with their line numbers', () => {
    const text = [
      'weakdep foo bar',
      'include /etc/other.conf',
      'blacklist',
      'blacklist a b',
      'alias only-pattern',
      'install foo',
      'softdep foo bar pre: baz',
      'options loop max_loop=8',
    ].join('\n');
    const { directives, problems } = parseModprobeConf(text);
    expect(directives).toEqual([{ kind: 'options', module: 'loop', options: ['max_loop=8'] }]);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'unknown directive weakdep'],
      [2, 'include is deprecated and ignored by kmod'],
      [3, 'blacklist needs a module name'],
      [4, 'blacklist takes exactly one module name'],
      [5, 'alias takes a pattern and one module name'],
      [6, 'install needs a command'],
      [7, 'softdep module bar is not after pre: or post:'],
    ]);
  });

  it('accepts empty input and comment-only files', () => {
    expect(parseModprobeConf('')).toEqual({ directives: [], problems: [] });
    expect(parseModprobeConf('# nothing here\n   # indented comment\n')).toEqual({
      directives: [],
      problems: [],
    });
  });
});

describe('mergeModprobeDirectives', () => {
  it('accumulates options and softdeps in order, keeps the first install command, sorts names', () => {
    const first = parseModprobeConf(
      'options zfs zfs_arc_max=1073741824\ninstall foo /bin/false\nblacklist b\nblacklist a\n',
    );
    const second = parseModprobeConf(
      'options zfs zfs_prefetch_disable=1\ninstall foo /bin/true\nblacklist a\nsoftdep x pre: y\nsoftdep x post: z\noptions ahci mobile_lpm_policy=3\n',
    );
    expect(mergeModprobeDirectives([...first.directives, ...second.directives])).toEqual({
      options: { ahci: ['mobile_lpm_policy=3'], zfs: ['zfs_arc_max=1073741824', 'zfs_prefetch_disable=1'] },
      blacklist: ['a', 'b'],
      install: { foo: '/bin/false' },
      remove: {},
      aliases: [],
      softdeps: { x: { pre: ['y'], post: ['z'] } },
    });
  });
});

describe('normalizeModuleName', () => {
  it('uses underscores like the kernel does', () => {
    expect(normalizeModuleName('snd-hda-intel')).toBe('snd_hda_intel');
    expect(normalizeModuleName('loop')).toBe('loop');
  });
});
