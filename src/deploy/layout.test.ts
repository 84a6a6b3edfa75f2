import { describe, expect, it } from 'vitest';
import {
  currentLinkTarget,
  stagingDirName,
  stagingOwnerOf,
  versionNameProblem,
  versionOfLinkTarget,
} from './layout.js';

describe('store layout', () => {
  it('accepts plain version names and refuses paths, hidden names and control characters', () => {
    for (const good of ['v1', '2026-11-22.1', 'web_01+hotfix'])
      expect(versionNameProblem(good)).toBeUndefined();
    for (const bad of ['', '.staging-1', '../x', 'a/b', 'a b', 'a\nb', '-v', 'x'.repeat(101)])
      expect(versionNameProblem(bad)).toBeDefined();
  });

  it('reads back only the current links it writes', () => {
    expect(versionOfLinkTarget(currentLinkTarget('v7'))).toBe('v7');
    for (const foreign of ['/versions/v7/tree', 'versions/../tree', 'versions/v7', 'elsewhere/v7/tree'])
      expect(versionOfLinkTarget(foreign)).toBeUndefined();
  });

  it('names staging directories after their owner process', () => {
    const name = stagingDirName({ pid: 42, startTicks: '123456' }, 'beef');
    expect(stagingOwnerOf(name)).toEqual({ pid: 42, startTicks: '123456' });
    expect(stagingOwnerOf('.staging-garbage')).toBeUndefined();
  });
});
