import { describe, expect, it } from 'vitest';
import { busAddressProblem } from './bus-address.js';

describe('busAddressProblem', () => {
  it.each([
    'unix:path=/run/dbus/system_bus_socket',
    'unix:abstract=/tmp/dbus-abc,guid=0123456789abcdef',
    'tcp:host=127.0.0.1,port=55556',
    'unix:path=/run/a;unix:path=/run/b',
  ])('accepts %s', (address) => {
    expect(busAddressProblem(address)).toBeUndefined();
  });

  it.each([
    ['garbage', /expected TRANSPORT:KEY=VALUE/],
    ['unix:', /is not KEY=VALUE/],
    ['unix:socket=/x', /unknown key socket/],
    ['unix:guid=abc', /unix needs path or abstract/],
    ['tcp:host=localhost', /tcp needs host and port/],
    ['tcp:host=localhost,port=http', /port must be a number/],
    ['launchd:env=X', /transport "launchd" is not supported/],
  ])('rejects %s', (address, problem) => {
    expect(busAddressProblem(address)).toMatch(problem);
  });
});
