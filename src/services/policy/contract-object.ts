// Builds the object a service exports from its contract and the functions that implement it, so the names
// and signatures on the bus are exactly the ones its policy file was generated from.
import type { ServiceMethod, ServiceObject } from '../../dbus/service-types.js';
import type { ServiceContract } from './contracts.js';

export interface ContractImplementation {
  /** One handler per method of the contract, by method name. */
  methods: Readonly<Record<string, ServiceMethod['handler']>>;
  /** One getter per property of the contract, by property name. */
  properties?: Readonly<Record<string, () => unknown>>;
}

function mismatch(
  contract: ServiceContract,
  kind: string,
  declared: string[],
  given: string[],
): string | undefined {
  const missing = declared.filter((name) => !given.includes(name));
  if (missing.length > 0) return `${contract.interfaceName}: no ${kind} for ${missing.join(', ')}`;
  const unknown = given.filter((name) => !declared.includes(name));
  if (unknown.length > 0) return `${contract.interfaceName}: ${unknown.join(', ')} not in the contract`;
  return undefined;
}

/** Throws naming the first method or property the implementation lacks or adds. */
export function serviceObjectFor(
  contract: ServiceContract,
  implementation: ContractImplementation,
): ServiceObject {
  const getters = implementation.properties ?? {};
  const problem =
    mismatch(
      contract,
      'handler',
      contract.methods.map((method) => method.name),
      Object.keys(implementation.methods),
    ) ??
    mismatch(
      contract,
      'getter',
      contract.properties.map((property) => property.name),
      Object.keys(getters),
    );
  if (problem) throw new Error(problem);
  return {
    path: contract.objectPath,
    interfaces: [
      {
        name: contract.interfaceName,
        methods: contract.methods.map((method) => ({
          name: method.name,
          inArgs: [...method.inArgs],
          outArgs: [...method.outArgs],
          handler: implementation.methods[method.name] as ServiceMethod['handler'],
        })),
        properties: contract.properties.map((property) => ({
          ...property,
          get: getters[property.name] as () => unknown,
        })),
        signals: contract.signals.map((signal) => ({ name: signal.name, args: [...signal.args] })),
      },
    ],
  };
}
