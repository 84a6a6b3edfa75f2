import { describe, expect, it } from 'vitest';
import { parseBaselineOutput } from './baseline-output.mjs';

const OUTPUT = `stray line before any header
=== units
-.mount                 loaded active mounted Root Mount
dbus.service            loaded active running D-Bus System Message Bus

=== default-target
graphical.target
=== empty
=== bus-objects
--- org.freedesktop.hostname1
-- /org/freedesktop/hostname1
<node>
 <interface name="org.freedesktop.hostname1"/>
</node>
=== timings
units 7520
default-target 8460
empty 12
bus-objects   2558439  
not a timing line
`;

describe('parseBaselineOutput', () => {
  it('splits the output into sections by header and drops trailing blank lines', () => {
    const { sections } = parseBaselineOutput(OUTPUT);
    expect(Object.keys(sections)).toEqual(['units', 'default-target', 'empty', 'bus-objects']);
    expect(sections.units).toEqual([
      '-.mount                 loaded active mounted Root Mount',
      'dbus.service            loaded active running D-Bus System Message Bus',
    ]);
    expect(sections['default-target']).toEqual(['graphical.target']);
    expect(sections.empty).toEqual([]);
    expect(sections['bus-objects']).toHaveLength(5);
  });

  it('reads the timings in microseconds as milliseconds and skips malformed lines', () => {
    expect(parseBaselineOutput(OUTPUT).timingsMs).toEqual({
      units: 7.52,
      'default-target': 8.46,
      empty: 0.012,
      'bus-objects': 2558.439,
    });
  });

  it('keeps header-like text that is not a whole header line as content', () => {
    const { sections } = parseBaselineOutput('=== files\n--- /etc/x.conf\n# === not a header\n');
    expect(sections.files).toEqual(['--- /etc/x.conf', '# === not a header']);
  });

  it('gives nothing for empty input', () => {
    expect(parseBaselineOutput('')).toEqual({ sections: {}, timingsMs: {} });
  });
});
