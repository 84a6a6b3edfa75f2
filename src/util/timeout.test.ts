import { describe, expect, it } from 'vitest';
import { withTimeout } from './timeout.js';

describe('withTimeout', () => {
  it('resolves with the value when the promise settles in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
  });

  it('rejects with the given error when the promise does not settle', async () => {
    await expect(withTimeout(new Promise(() => {}), 10, () => new Error('no answer'))).rejects.toThrow(
      'no answer',
    );
  });

  it('passes rejections through', async () => {
    await expect(
      withTimeout(Promise.reject(new Error('boom')), 1000, () => new Error('late')),
    ).rejects.toThrow('boom');
  });
});
