import { describe, expect, it } from 'vitest';
import { configuredGrubParameters, evaluateGrubDefaults, rewriteGrubDefaults } from './grub-default.js';

const DEBIAN = `# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.

GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=\`lsb_release -i -s 2> /dev/null || echo Debian\`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""

# Uncomment to disable graphical terminal
#GRUB_TERMINAL=console
`;

describe('evaluateGrubDefaults', () => {
  it('joins GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT after sourcing the drop-ins', () => {
    const main = 'GRUB_CMDLINE_LINUX="root=/dev/vda1 console=ttyS0"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n';
    const evaluated = evaluateGrubDefaults(main, [
      {
        path: '/etc/default/grub.d/50-cloud.cfg',
        text: 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT splash"\n',
      },
      { path: '/etc/default/grub.d/60-timeout.cfg', text: 'GRUB_TIMEOUT=1\n' },
    ]);
    expect(evaluated).toMatchObject({
      linux: 'root=/dev/vda1 console=ttyS0',
      linuxDefault: 'quiet splash',
      assignedInDropIns: ['/etc/default/grub.d/50-cloud.cfg'],
    });
    expect(configuredGrubParameters(evaluated)).toEqual(['console=ttyS0', 'quiet', 'splash']);
  });

  it('reports what it cannot evaluate with the file and line', () => {
    const evaluated = evaluateGrubDefaults(DEBIAN);
    expect(evaluated.problems).toEqual([
      {
        path: '/etc/default/grub',
        line: 6,
        text: 'GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`',
        reason: 'command substitution is not evaluated; it counts as empty',
      },
    ]);
    expect(configuredGrubParameters(evaluated)).toEqual(['quiet']);
  });
});

describe('rewriteGrubDefaults', () => {
  it('replaces only the GRUB_CMDLINE_LINUX_DEFAULT assignment, quoting for the shell', () => {
    const wanted = ['quiet', 'foo="a b"', 'path=$x`y`\\z'];
    const out = rewriteGrubDefaults(DEBIAN, { GRUB_CMDLINE_LINUX_DEFAULT: wanted }, wanted);
    expect(out).toBe(
      DEBIAN.replace(
        'GRUB_CMDLINE_LINUX_DEFAULT="quiet"',
        'GRUB_CMDLINE_LINUX_DEFAULT="quiet foo=\\"a b\\" path=\\$x\\`y\\`\\\\z"',
      ),
    );
    expect(configuredGrubParameters(evaluateGrubDefaults(out))).toEqual(wanted);
  });

  it('replaces the last of several assignments, multi-line ones included, and keeps the rest', () => {
    const text =
      'GRUB_CMDLINE_LINUX_DEFAULT="a"\nexport GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT \\\n  b" # two\n';
    const out = rewriteGrubDefaults(text, { GRUB_CMDLINE_LINUX_DEFAULT: ['c'] }, ['c']);
    expect(out).toBe('GRUB_CMDLINE_LINUX_DEFAULT="a"\nexport GRUB_CMDLINE_LINUX_DEFAULT="c" # two\n');
  });

  it('appends the assignment when the file has none, and creates a file with a header', () => {
    expect(rewriteGrubDefaults('GRUB_TIMEOUT=5', { GRUB_CMDLINE_LINUX_DEFAULT: ['quiet'] }, ['quiet'])).toBe(
      'GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n',
    );
    const created = rewriteGrubDefaults(undefined, { GRUB_CMDLINE_LINUX_DEFAULT: ['quiet'] }, ['quiet']);
    expect(created).toMatch(/^# .*op-dbus.*\n# Run update-grub .*\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n$/);
  });

  it('drops the portable parameters of GRUB_CMDLINE_LINUX when asked, keeping the boot-specific ones', () => {
    const text = 'GRUB_CMDLINE_LINUX="root=UUID=1 net.ifnames=0 ro"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n';
    const wanted = ['quiet', 'net.ifnames=1'];
    const out = rewriteGrubDefaults(
      text,
      { GRUB_CMDLINE_LINUX_DEFAULT: wanted, GRUB_CMDLINE_LINUX: [] },
      wanted,
    );
    expect(out).toBe(
      'GRUB_CMDLINE_LINUX="root=UUID=1 ro"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet net.ifnames=1"\n',
    );
  });

  it('refuses a rewrite that would not configure the parameters asked for', () => {
    const text = 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX_DEFAULT"\n';
    expect(() => rewriteGrubDefaults(text, { GRUB_CMDLINE_LINUX_DEFAULT: ['splash'] }, ['splash'])).toThrow(
      /would configure "splash splash", not "splash".*edit it by hand/,
    );
  });
});
