import { describe, expect, it } from 'vitest';
import { parseExtendedStates } from './parse-extended-states.js';

describe('parseExtendedStates', () => {
  it('returns the packages marked Auto-Installed: 1 with their architecture', () => {
    const text = `Package: libpython3.11-minimal
Architecture: amd64
Auto-Installed: 1

Package: python3
Architecture: amd64
Auto-Installed: 0

Package: libc6
Architecture: i386
Auto-Installed: 1

Package: vim
Architecture: amd64
`;
    expect(parseExtendedStates(text)).toEqual([
      { name: 'libpython3.11-minimal', architecture: 'amd64' },
      { name: 'libc6', architecture: 'i386' },
    ]);
  });

  it('accepts pre-multi-arch entries without Architecture and tolerates odd whitespace', () => {
    const text = 'package:  perl-modules \nauto-installed:\t1 \n\n\nPackage: broken\nAuto-Installed: yes\n';
    expect(parseExtendedStates(text)).toEqual([{ name: 'perl-modules' }]);
  });

  it('ignores stanzas without a Package field and empty input', () => {
    expect(parseExtendedStates('Architecture: amd64\nAuto-Installed: 1\n')).toEqual([]);
    expect(parseExtendedStates('')).toEqual([]);
  });
});
