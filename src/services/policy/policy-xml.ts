// The dbus-daemon policy file of each service op-dbus exports, generated from its contract: root owns the
// name and may call everything, members of one group may call read and create methods, everyone else may
// only introspect and ping. Signals reach root and the group only.
import { escapeXmlAttribute } from '../../dbus/service-introspection.js';
import { GROUP_MAY_CALL, type MethodAccess, type ServiceContract } from './contracts.js';

export const DEFAULT_POLICY_GROUP = 'opdbus';
/** Where dbus-daemon reads the system bus's service policies from (relative to the install prefix). */
export const SYSTEM_POLICY_DIRECTORY = '/etc/dbus-1/system.d';
const MAX_GROUP_NAME_LENGTH = 32;
/** POSIX user and group names: the portable filename character set, not starting with a hyphen. */
const POSIX_GROUP_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">`;

const ACCESS_COMMENTS: Record<MethodAccess, string> = {
  read: 'read methods',
  create: 'methods that create',
  delete: 'methods that delete (root only)',
  apply: 'methods that apply whole states (root only)',
};

/** Why `name` cannot be the policy group, or undefined when it can. */
export function policyGroupProblem(name: string): string | undefined {
  if (name === '') return 'the group name is empty';
  if (name.length > MAX_GROUP_NAME_LENGTH)
    return `group name '${name}' is longer than ${MAX_GROUP_NAME_LENGTH} characters`;
  if (!POSIX_GROUP_NAME.test(name))
    return `group name '${name}' is not a POSIX group name (letters, digits, '.', '_' and '-', not starting with '-')`;
  if (/^\d+$/.test(name)) return `group name '${name}' is all digits, which tools read as a numeric gid`;
  return undefined;
}

export function policyFileName(contract: ServiceContract): string {
  return `${contract.busName}.conf`;
}

function element(tag: 'allow' | 'deny', attributes: Record<string, string>): string {
  const text = Object.entries(attributes)
    .map(([name, value]) => `${name}="${escapeXmlAttribute(value)}"`)
    .join(' ');
  return `    <${tag} ${text}/>`;
}

function groupRules(contract: ServiceContract): string[] {
  const destination = contract.busName;
  const lines: string[] = [];
  for (const access of Object.keys(ACCESS_COMMENTS) as MethodAccess[]) {
    const methods = contract.methods.filter((method) => method.access === access);
    if (!GROUP_MAY_CALL[access] || methods.length === 0) continue;
    lines.push(`    <!-- ${ACCESS_COMMENTS[access]} -->`);
    for (const method of methods)
      lines.push(
        element('allow', {
          send_destination: destination,
          send_interface: contract.interfaceName,
          send_member: method.name,
        }),
      );
  }
  for (const member of ['Get', 'GetAll'])
    lines.push(
      element('allow', {
        send_destination: destination,
        send_interface: 'org.freedesktop.DBus.Properties',
        send_member: member,
      }),
    );
  if (contract.signals.length > 0)
    lines.push(element('allow', { receive_sender: destination, receive_type: 'signal' }));
  return lines;
}

/**
 * The policy file for one service. dbus-daemon applies the default context first, then group, then user
 * policies, and a later matching rule wins; rules naming an interface never match a call without one, so
 * such calls stay refused to everyone but root.
 */
export function renderPolicy(contract: ServiceContract, group: string): string {
  const problem = policyGroupProblem(group);
  if (problem) throw new Error(problem);
  const destination = contract.busName;
  const lines = [
    HEADER,
    '',
    `<!-- ${headerComment(contract, group)} -->`,
    '<busconfig>',
    '  <policy user="root">',
    element('allow', { own: destination }),
    element('allow', { send_destination: destination }),
    element('allow', { receive_sender: destination }),
    '  </policy>',
    '',
    `  <policy group="${escapeXmlAttribute(group)}">`,
    ...groupRules(contract),
    '  </policy>',
    '',
    '  <policy context="default">',
    element('deny', { own: destination }),
    element('deny', { send_destination: destination, send_type: 'method_call' }),
    element('allow', {
      send_destination: destination,
      send_interface: 'org.freedesktop.DBus.Introspectable',
    }),
    element('allow', { send_destination: destination, send_interface: 'org.freedesktop.DBus.Peer' }),
    ...(contract.signals.length > 0
      ? [element('deny', { receive_sender: destination, receive_type: 'signal' })]
      : []),
    '  </policy>',
    '</busconfig>',
    '',
  ];
  return lines.join('\n');
}

/** What the file grants, for whoever opens it; `--` may not appear inside an XML comment, so it is broken up. */
function headerComment(contract: ServiceContract, group: string): string {
  const rootOnly = contract.methods
    .filter((method) => !GROUP_MAY_CALL[method.access])
    .map((method) => method.name);
  const text = [
    `${contract.busName}: ${contract.summary}.`,
    `     Written by op-dbus dbus install-policy for group "${group}" (run it again for another group).`,
    `     root owns the name and may call every method; members of group "${group}" may call read`,
    `     and create methods${rootOnly.length > 0 ? ` (not ${rootOnly.join(', ')})` : ''}; everyone else may introspect and ping only.`,
  ].join('\n');
  return text.replace(/-(?=-)/g, '- ');
}
