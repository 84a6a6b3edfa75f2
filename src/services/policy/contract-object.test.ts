import { describe, expect, it } from 'vitest';
import { ServiceObjectTree } from '../../dbus/service-dispatch.js';
import { serviceObjectFor } from './contract-object.js';
import { OPDBUS_SERVICE, OVSDB_SERVICE, SERVICE_CONTRACTS } from './contracts.js';

const reply = async () => [];
const handlersFor = (names: readonly { name: string }[]) =>
  Object.fromEntries(names.map(({ name }) => [name, reply]));

describe('serviceObjectFor', () => {
  it('exports every contract with the declared names and signatures', () => {
    const tree = new ServiceObjectTree();
    for (const contract of SERVICE_CONTRACTS) {
      const object = serviceObjectFor(contract, {
        methods: handlersFor(contract.methods),
        properties: Object.fromEntries(contract.properties.map(({ name }) => [name, () => ''])),
      });
      tree.add(object);
      const [iface] = object.interfaces;
      expect(object.path).toBe(contract.objectPath);
      expect(iface?.name).toBe(contract.interfaceName);
      expect(iface?.methods.map((method) => [method.name, method.inArgs, method.outArgs])).toEqual(
        contract.methods.map((method) => [method.name, method.inArgs, method.outArgs]),
      );
      expect(iface?.signals.map((signal) => signal.name)).toEqual(
        contract.signals.map((signal) => signal.name),
      );
    }
  });

  it('names a method without a handler, and a handler without a method', () => {
    const { DeletePort: _, ...withoutDeletePort } = handlersFor(OVSDB_SERVICE.methods);
    expect(() => serviceObjectFor(OVSDB_SERVICE, { methods: withoutDeletePort })).toThrow(
      'org.openvswitch.ovsdb: no handler for DeletePort',
    );
    expect(() =>
      serviceObjectFor(OVSDB_SERVICE, { methods: { ...handlersFor(OVSDB_SERVICE.methods), Extra: reply } }),
    ).toThrow('org.openvswitch.ovsdb: Extra not in the contract');
    expect(() => serviceObjectFor(OPDBUS_SERVICE, { methods: handlersFor(OPDBUS_SERVICE.methods) })).toThrow(
      'org.opdbus: no getter for Version, LastApply',
    );
  });
});
