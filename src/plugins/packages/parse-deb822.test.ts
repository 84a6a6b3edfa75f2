import { describe, expect, it } from 'vitest';
import { parseDeb822 } from './parse-deb822.js';

describe('parseDeb822', () => {
  it('splits stanzas on blank lines and lower-cases field names', () => {
    const text = [
      'Package: bash',
      'Version: 5.2.15-2+b2',
      '',
      'Package: zlib1g',
      'VERSION: 1:1.2.13.dfsg-1',
      '',
    ].join('\n');
    expect(parseDeb822(text)).toEqual([
      { package: 'bash', version: '5.2.15-2+b2' },
      { package: 'zlib1g', version: '1:1.2.13.dfsg-1' },
    ]);
  });

  it('appends continuation lines to the previous field', () => {
    const text = [
      'Package: dash',
      'Description: POSIX-compliant shell',
      ' The Debian Almquist Shell (dash) is a POSIX-compliant shell',
      ' .',
      '\tderived from ash.',
      'Version: 0.5.12-2',
    ].join('\n');
    expect(parseDeb822(text)).toEqual([
      {
        package: 'dash',
        description:
          'POSIX-compliant shell\nThe Debian Almquist Shell (dash) is a POSIX-compliant shell\n.\nderived from ash.',
        version: '0.5.12-2',
      },
    ]);
  });

  it('keeps multi-line fields whose first line is empty', () => {
    const text = 'Package: base-files\nConffiles:\n /etc/debian_version 5e5e5e\n /etc/issue 6f6f6f\n';
    expect(parseDeb822(text)).toEqual([
      { package: 'base-files', conffiles: '\n/etc/debian_version 5e5e5e\n/etc/issue 6f6f6f' },
    ]);
  });

  it('accepts whitespace-only separator lines, CRLF line ends and odd spacing around the colon', () => {
    const text =
      'Package:libc6\r\nArchitecture :   amd64  \r\n \t \r\n\r\n\r\nPackage: libc6\r\nArchitecture: i386\r\n';
    expect(parseDeb822(text)).toEqual([
      { package: 'libc6', architecture: 'amd64' },
      { package: 'libc6', architecture: 'i386' },
    ]);
  });

  it('skips comments, malformed lines and orphan continuation lines', () => {
    const text = [
      ' stray continuation',
      '# a comment',
      'Package: sed',
      'this line has no colon',
      ' lost continuation',
      'Version: 4.9-1',
    ].join('\n');
    expect(parseDeb822(text)).toEqual([{ package: 'sed', version: '4.9-1' }]);
  });

  it('returns no stanzas for empty input', () => {
    expect(parseDeb822('')).toEqual([]);
    expect(parseDeb822('\n\n  \n')).toEqual([]);
  });
});
