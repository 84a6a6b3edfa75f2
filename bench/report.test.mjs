import { describe, expect, it } from 'vitest';
import { alignColumns, countRows, ratioSentence, timingRows } from './report.mjs';

const RESULTS = [
  {
    key: 'op-dbus',
    label: 'op-dbus discover --export',
    summary: { median: 420, min: 400, max: 515, runs: 10 },
  },
  { key: 'shell', label: 'shell baseline', summary: { median: 1100, min: 1020, max: 1480, runs: 10 } },
  { key: 'ansible', label: 'ansible-playbook', summary: { median: 3900, min: 3700, max: 4400, runs: 10 } },
];

describe('timingRows and ratioSentence', () => {
  it('sets every contender against op-dbus', () => {
    expect(timingRows(RESULTS, 'op-dbus')).toEqual([
      ['', 'median', 'min', 'max', 'vs op-dbus'],
      ['op-dbus discover --export', '0.42 s', '0.40 s', '0.52 s', '1×'],
      ['shell baseline', '1.10 s', '1.02 s', '1.48 s', '2.6×'],
      ['ansible-playbook', '3.90 s', '3.70 s', '4.40 s', '9.3×'],
    ]);
    expect(ratioSentence(RESULTS, 'op-dbus')).toBe(
      'op-dbus 0.42 s, shell 1.10 s (2.6×), ansible 3.90 s (9.3×)',
    );
  });
});

describe('alignColumns', () => {
  it('pads the first column left and the rest right', () => {
    expect(
      alignColumns([
        ['', 'a', 'bb'],
        ['long label', '1', '22'],
        ['x', '333', '4'],
      ]),
    ).toBe(['              a  bb', 'long label    1  22', 'x           333   4'].join('\n'));
  });
});

describe('countRows', () => {
  it('shows a dash for items a side does not gather', () => {
    const rows = countRows({
      'op-dbus': { units: 150, packages: 182 },
      ansible: { units: null, packages: 182 },
    });
    expect(rows[0]).toEqual(['', 'op-dbus', 'ansible']);
    expect(rows.find((row) => row[0] === 'packages')).toEqual(['packages', 182, 182]);
    expect(rows.find((row) => row[0].startsWith('loaded units'))).toEqual([
      'loaded units (list-units --all)',
      150,
      '–',
    ]);
  });
});
