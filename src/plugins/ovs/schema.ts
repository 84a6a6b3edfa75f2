// The ovs section: Open vSwitch bridges, ports and interfaces as OVSDB holds them (config), and what
// ovs-vswitchd reports about them (facts). Names are held to OVS's and Linux's rules before anything is sent.
import { z } from 'zod';
import { bridgeNameProblem, interfaceNameProblem, portNameProblem } from '../../ovsdb/names.js';
import { BOND_MODES, FAIL_MODES, LACP_MODES, VLAN_MODES } from '../../ovsdb/vswitch-model.js';

/** A record whose keys are names OVS and Linux accept, each bad key refused at its own JSON path. */
function namedRecord<Value extends z.ZodType>(
  what: string,
  problemOf: (name: string) => string | undefined,
  value: Value,
) {
  return z.record(z.string(), value).superRefine((record, context) => {
    for (const name of Object.keys(record)) {
      const problem = problemOf(name);
      if (problem) context.addIssue({ code: 'custom', path: [name], message: `${what} name ${problem}` });
    }
  });
}

const stringMap = (what: string) => z.record(z.string(), z.string()).describe(what);
const vlanId = z.number().int().min(0).max(4095);
// OVS names its interface types and datapath types in lower-case words: internal, patch, vxlan, netdev …
const typeName = z
  .string()
  .regex(/^[a-z0-9_-]*$/, { message: 'must be lower-case letters, digits, _ and -' });
// ovs-vsctl(8) "Controller and Manager Connection Methods": active and passive (p…) connections.
const controllerTarget = z.string().regex(/^(tcp|ssl|unix|ptcp|pssl|punix):[^\s\p{Cc}]+$/u, {
  message: 'must be a controller target: tcp:IP[:PORT], ssl:IP[:PORT], unix:FILE, ptcp:…, pssl:…, punix:…',
});
const openFlowVersion = z
  .string()
  .regex(/^OpenFlow1[0-5]$/, { message: 'must be an OpenFlow version OVS speaks: OpenFlow10 … OpenFlow15' });

export const ovsInterfaceSchema = z
  .object({
    type: typeName.describe(
      "Interface type: '' for a system device, or internal, patch, vxlan, gre, geneve …",
    ),
    options: stringMap(
      'Type-specific options (peer of a patch, remote_ip and key of a tunnel …); secrets redacted',
    ),
    externalIds: stringMap('external_ids, for other software (iface-id, attached-mac …)'),
    mtuRequest: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .nullable()
      .describe('MTU OVS should set; null to leave it'),
  })
  .strict();

export const ovsPortSchema = z
  .object({
    tag: vlanId.nullable().describe('Access VLAN; null for none'),
    trunks: z.array(vlanId).max(4096).describe('VLANs a trunk port carries; empty means all'),
    vlanMode: z.enum(VLAN_MODES).nullable().describe('VLAN mode; null lets OVS choose from tag and trunks'),
    bondMode: z.enum(BOND_MODES).nullable().describe('Bonding mode of a port with several interfaces'),
    lacp: z.enum(LACP_MODES).nullable().describe('LACP of a bond'),
    otherConfig: stringMap('other_config'),
    externalIds: stringMap('external_ids'),
    interfaces: namedRecord('interface', interfaceNameProblem, ovsInterfaceSchema)
      .refine((interfaces) => Object.keys(interfaces).length > 0, {
        message: 'a port needs at least one interface',
      })
      .describe('Interfaces by name: one for a plain port, several for a bond'),
  })
  .strict();

export const ovsBridgeSchema = z
  .object({
    datapathType: typeName.describe("Datapath: '' or system (kernel), netdev (userspace)"),
    failMode: z
      .enum(FAIL_MODES)
      .nullable()
      .describe('What the bridge does without a controller; null for OVS default'),
    controllers: z.array(controllerTarget).describe('OpenFlow controller targets'),
    protocols: z.array(openFlowVersion).describe("OpenFlow versions enabled; empty for OVS's default"),
    stpEnable: z.boolean(),
    rstpEnable: z.boolean(),
    mcastSnoopingEnable: z.boolean(),
    otherConfig: stringMap('other_config (hwaddr, datapath-id …)'),
    externalIds: stringMap('external_ids'),
    ports: namedRecord('port', portNameProblem, ovsPortSchema).describe(
      "Ports by name, the bridge's own (internal) port included; a bridge that does not list it gets the one `ovs-vsctl add-br` makes",
    ),
  })
  .strict();

type Issue = { path: (string | number)[]; message: string };

/** OVSDB indexes ports and interfaces by name across the whole switch, and a bridge's own port carries its name. */
function nameClashes(bridges: Record<string, z.infer<typeof ovsBridgeSchema>>): Issue[] {
  const issues: Issue[] = [];
  const portOwner = new Map<string, string>();
  const interfaceOwner = new Map<string, string>();
  for (const [bridge, { ports }] of Object.entries(bridges)) {
    for (const [port, { interfaces }] of Object.entries(ports)) {
      const path = ['bridges', bridge, 'ports', port];
      const other = portOwner.get(port);
      if (other !== undefined) issues.push({ path, message: `port ${port} is also on bridge ${other}` });
      else if (port !== bridge && port in bridges)
        issues.push({ path, message: `port ${port} has the name of bridge ${port}, whose own port it is` });
      if (other === undefined) portOwner.set(port, bridge);
      for (const iface of Object.keys(interfaces)) {
        const owner = interfaceOwner.get(iface);
        if (owner !== undefined)
          issues.push({
            path: [...path, 'interfaces', iface],
            message: `interface ${iface} is also in port ${owner}`,
          });
        else interfaceOwner.set(iface, `${bridge}/${port}`);
      }
    }
  }
  return issues;
}

export const ovsConfigSchema = z
  .object({
    bridges: namedRecord('bridge', bridgeNameProblem, ovsBridgeSchema).describe(
      'Open vSwitch bridges by name',
    ),
  })
  .strict()
  .superRefine((config, context) => {
    for (const issue of nameClashes(config.bridges)) context.addIssue({ code: 'custom', ...issue });
  });

export const ovsInterfaceFactsSchema = z
  .object({
    bridge: z.string(),
    port: z.string(),
    ofport: z.number().int().nullable().describe('OpenFlow port number; -1 when OVS could not add it'),
    linkState: z.string().nullable(),
    adminState: z.string().nullable(),
    macInUse: z.string().nullable(),
    mtu: z.number().int().nullable(),
    error: z.string().nullable().describe('Why ovs-vswitchd could not set the interface up'),
  })
  .strict();

export const ovsFactsSchema = z
  .object({
    address: z.string().describe('The OVSDB server read (unix:PATH or tcp:HOST:PORT)'),
    ovsVersion: z.string().nullable(),
    dbVersion: z.string().nullable(),
    systemType: z.string().nullable(),
    systemVersion: z.string().nullable(),
    interfaces: z
      .record(z.string(), ovsInterfaceFactsSchema)
      .describe('What ovs-vswitchd reports per interface, by name; null fields when it has not seen it'),
    problems: z.array(z.string()).describe('Rows left out of config (a port two bridges refer to …)'),
  })
  .strict();

export type OvsConfig = z.infer<typeof ovsConfigSchema>;
export type OvsFacts = z.infer<typeof ovsFactsSchema>;
