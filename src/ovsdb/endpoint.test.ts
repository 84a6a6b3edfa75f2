import { describe, expect, it } from 'vitest';
import { formatOvsdbEndpoint, parseOvsdbEndpoint } from './endpoint.js';

describe('parseOvsdbEndpoint', () => {
  it('reads unix and tcp addresses, IPv6 bracketed', () => {
    expect(parseOvsdbEndpoint('unix:/run/openvswitch/db.sock')).toEqual({
      kind: 'unix',
      path: '/run/openvswitch/db.sock',
    });
    expect(parseOvsdbEndpoint('tcp:127.0.0.1:6640')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 6640 });
    expect(parseOvsdbEndpoint('tcp:[::1]:6640')).toEqual({ kind: 'tcp', host: '::1', port: 6640 });
    expect(parseOvsdbEndpoint('tcp:ovs-host.example:1')).toEqual({
      kind: 'tcp',
      host: 'ovs-host.example',
      port: 1,
    });
  });

  it('prints what it parsed back in the same notation', () => {
    for (const text of ['unix:/tmp/db.sock', 'tcp:10.0.0.1:6640', 'tcp:[fe80::1]:6641']) {
      expect(formatOvsdbEndpoint(parseOvsdbEndpoint(text))).toBe(text);
    }
  });

  it('refuses what ovs-vsctl would not take, saying why', () => {
    expect(() => parseOvsdbEndpoint('/run/openvswitch/db.sock')).toThrow(/unknown scheme/);
    expect(() => parseOvsdbEndpoint('unix:db.sock')).toThrow(/must be absolute/);
    expect(() => parseOvsdbEndpoint('tcp:127.0.0.1')).toThrow(/tcp:HOST:PORT/);
    expect(() => parseOvsdbEndpoint('tcp:127.0.0.1:0')).toThrow(/out of range/);
    expect(() => parseOvsdbEndpoint('tcp:127.0.0.1:70000')).toThrow(/out of range/);
    expect(() => parseOvsdbEndpoint('tcp:a b:1')).toThrow(/tcp:HOST:PORT/);
    expect(() => parseOvsdbEndpoint('ssl:1.2.3.4:6640')).toThrow(/unknown scheme/);
  });
});
