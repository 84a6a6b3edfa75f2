// The network section: systemd-networkd's configuration files (config) and the links as observed (facts).
import { z } from 'zod';
import { checkedKeyRecord } from '../shared/checked-record.js';
import { fileProblemSchema } from '../shared/file-problem.js';
import { fileContentSchema } from '../shared/limits.js';
import { NETWORKD_CONFIG_DIR, networkdKindOfPath } from './networkd-path.js';

export const networkdFileKindSchema = z.enum(['network', 'netdev', 'link']);

export const networkdFileSchema = z
  .object({
    kind: networkdFileKindSchema.describe(
      'networkd file type: .network, .netdev or .link (drop-ins take their parent kind)',
    ),
    masked: z
      .boolean()
      .describe('The file is a symlink to /dev/null, which masks a vendor file of the same name'),
    content: fileContentSchema.describe('File text, secrets (keys, passwords) redacted; empty when masked'),
  })
  .strict()
  .refine((file) => !file.masked || file.content === '', {
    message: 'a masked file is a symlink to /dev/null and has no content',
    path: ['content'],
  });

/** Paths in facts: whatever the reader listed. */
const networkdPathSchema = z.string().regex(/^\/etc\/systemd\/network\//);
export const networkdFileSummarySchema = z
  .record(z.string(), z.array(z.string()))
  .describe(
    'Key settings as "Section.Key" → values in file order (Match.Name, Network.Address, Network.DHCP …)',
  );

export const addressFamilySchema = z.enum(['ipv4', 'ipv6']);

export const networkConfigSchema = z
  .object({
    files: checkedKeyRecord(
      (path) => networkdKindOfPath(path) !== undefined,
      `must be ${NETWORKD_CONFIG_DIR}/<name>.network|.netdev|.link or ${NETWORKD_CONFIG_DIR}/<name>.<kind>.d/<name>.conf (no hidden names, .., extra directories or control characters)`,
      networkdFileSchema,
    )
      .superRefine((files, context) => {
        for (const [path, file] of Object.entries(files)) {
          const kind = networkdKindOfPath(path);
          if (kind !== undefined && kind !== file.kind)
            context.addIssue({
              code: 'custom',
              path: [path, 'kind'],
              message: `must be "${kind}", as the file name says`,
            });
        }
      })
      .describe(
        'networkd files under /etc/systemd/network (.network, .netdev, .link and their .d drop-ins), by path',
      ),
  })
  .strict();

export const networkdLinkStateSchema = z
  .object({
    administrativeState: z
      .string()
      .describe('networkd setup state: configured, configuring, unmanaged, failed, linger …'),
    operationalState: z
      .string()
      .describe('networkd operational state: routable, degraded, carrier, no-carrier, off …'),
    carrierState: z.string().nullable(),
    addressState: z.string().nullable(),
    onlineState: z.string().nullable(),
    networkFile: z.string().nullable().describe('.network file networkd applied to the link'),
  })
  .strict();

export const networkLinkSchema = z
  .object({
    index: z.number().int().positive().describe('Kernel interface index'),
    name: z.string(),
    type: z.string().describe('Link-layer type as networkd names it (ether, loopback, none …)'),
    kind: z.string().nullable().describe('Device kind (veth, bridge, vlan, wireguard …); null when unknown'),
    driver: z.string().nullable(),
    mac: z.string().nullable().describe('Hardware address; null when the link has none (loopback, tunnels)'),
    mtu: z.number().int().nonnegative(),
    operState: z
      .string()
      .describe('Kernel operational state (RFC 2863: up, down, unknown, lowerlayerdown …)'),
    addresses: z
      .array(z.string())
      .nullable()
      .describe(
        'IP addresses in CIDR notation, of the families listed in facts.addressFamilies; null when the source cannot tell',
      ),
    networkd: networkdLinkStateSchema
      .nullable()
      .describe("networkd's view of the link; null when networkd was not asked"),
  })
  .strict();

export const networkStateSchema = z
  .object({
    operationalState: z.string(),
    carrierState: z.string(),
    addressState: z.string(),
    onlineState: z.string(),
  })
  .strict();

export const networkFactsSchema = z
  .object({
    source: z.enum(['networkd', 'sysfs']).describe('Where the links came from'),
    fallbackReason: z
      .string()
      .optional()
      .describe('Why networkd was not used, when /sys/class/net was read instead'),
    overall: networkStateSchema
      .nullable()
      .describe("networkd's machine-wide states; null when networkd was not asked"),
    links: z.array(networkLinkSchema).describe('Network links sorted by index'),
    addressFamilies: z
      .array(addressFamilySchema)
      .describe(
        'Families that links[].addresses covers: both from networkd; only ipv6 from the sysfs fallback, because ' +
          '/proc/PID/net/if_inet6 lists IPv6 addresses per link and procfs has no IPv4 counterpart; empty when addresses are null',
      ),
    fileSummaries: z
      .record(networkdPathSchema, networkdFileSummarySchema)
      .describe(
        'Summary of each networkd file in config.files, by path: derived from the content, so kept out of config',
      ),
    problems: z
      .array(fileProblemSchema)
      .describe('networkd files and directories that could not be read, left out of config.files'),
  })
  .strict();

export type NetworkdFileKind = z.infer<typeof networkdFileKindSchema>;
export type NetworkdFile = z.infer<typeof networkdFileSchema>;
export type NetworkConfig = z.infer<typeof networkConfigSchema>;
export type NetworkLink = z.infer<typeof networkLinkSchema>;
export type NetworkState = z.infer<typeof networkStateSchema>;
export type AddressFamily = z.infer<typeof addressFamilySchema>;
export type NetworkdFileSummary = z.infer<typeof networkdFileSummarySchema>;
export type NetworkFacts = z.infer<typeof networkFactsSchema>;
