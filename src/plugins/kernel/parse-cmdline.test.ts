import { describe, expect, it } from 'vitest';
import { isBootSpecificParameter, parseKernelCommandLine, splitKernelArguments } from './parse-cmdline.js';

describe('splitKernelArguments', () => {
  it('splits at runs of whitespace, tabs and the trailing newline of /proc/cmdline', () => {
    expect(splitKernelArguments('  quiet \t splash   loglevel=3\n')).toEqual([
      'quiet',
      'splash',
      'loglevel=3',
    ]);
  });

  it('keeps spaces inside double quotes and the quotes themselves', () => {
    expect(splitKernelArguments('foo="a b" "bar=c d" x')).toEqual(['foo="a b"', '"bar=c d"', 'x']);
  });

  it('runs an unterminated quote to the end of the line', () => {
    expect(splitKernelArguments('a="open quote b c')).toEqual(['a="open quote b c']);
  });

  it('returns nothing for empty input', () => {
    expect(splitKernelArguments('')).toEqual([]);
    expect(splitKernelArguments('  \n')).toEqual([]);
  });
});

describe('parseKernelCommandLine', () => {
  it('parses a realistic GRUB command line', () => {
    const line =
      'BOOT_IMAGE=/vmlinuz-6.1.0-18-amd64 root=UUID=4f1c2a9e-0d1b-4a39-9a4e-7d3c1f0b2e11 ro quiet i915.enable_psr=0 console=tty0 console=ttyS0,115200n8\n';
    const { parameters, initArguments } = parseKernelCommandLine(line);
    expect(parameters).toEqual([
      { token: 'BOOT_IMAGE=/vmlinuz-6.1.0-18-amd64', key: 'BOOT_IMAGE', value: '/vmlinuz-6.1.0-18-amd64' },
      {
        token: 'root=UUID=4f1c2a9e-0d1b-4a39-9a4e-7d3c1f0b2e11',
        key: 'root',
        value: 'UUID=4f1c2a9e-0d1b-4a39-9a4e-7d3c1f0b2e11',
      },
      { token: 'ro', key: 'ro', value: null },
      { token: 'quiet', key: 'quiet', value: null },
      { token: 'i915.enable_psr=0', key: 'i915.enable_psr', value: '0' },
      { token: 'console=tty0', key: 'console', value: 'tty0' },
      { token: 'console=ttyS0,115200n8', key: 'console', value: 'ttyS0,115200n8' },
    ]);
    expect(initArguments).toEqual([]);
  });

  it('strips quotes around a value or around the whole parameter', () => {
    const { parameters } = parseKernelCommandLine('dyndbg="file foo.c +p" "acpi_osi=Windows 2020" empty=');
    expect(parameters).toEqual([
      { token: 'dyndbg="file foo.c +p"', key: 'dyndbg', value: 'file foo.c +p' },
      { token: '"acpi_osi=Windows 2020"', key: 'acpi_osi', value: 'Windows 2020' },
      { token: 'empty=', key: 'empty', value: '' },
    ]);
  });

  it('hands everything after a lone -- to init', () => {
    const { parameters, initArguments } = parseKernelCommandLine(
      'quiet rdinit=/init -- --single "two words" x=1',
    );
    expect(parameters.map((p) => p.key)).toEqual(['quiet', 'rdinit']);
    expect(initArguments).toEqual(['--single', '"two words"', 'x=1']);
  });

  it('does not treat -- inside a token as the separator', () => {
    const { parameters, initArguments } = parseKernelCommandLine('foo=-- --bar');
    expect(parameters.map((p) => p.token)).toEqual(['foo=--', '--bar']);
    expect(initArguments).toEqual([]);
  });
});

describe('isBootSpecificParameter', () => {
  it('knows exact names and prefixes', () => {
    for (const key of [
      'BOOT_IMAGE',
      'root',
      'ro',
      'rw',
      'initrd',
      'rootflags',
      'resume',
      'rd.luks.uuid',
      'rd.lvm.lv',
    ]) {
      expect(isBootSpecificParameter(key), key).toBe(true);
    }
    for (const key of ['quiet', 'console', 'i915.enable_psr', 'rootkit', 'rd.udev.log_level', 'roots']) {
      expect(isBootSpecificParameter(key), key).toBe(false);
    }
  });
});
