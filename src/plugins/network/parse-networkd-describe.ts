// Reads the JSON systemd-networkd returns from org.freedesktop.network1.Manager.Describe() (systemd ≥ 248)
// into links. Only the fields op-dbus uses are checked; networkd adds fields between releases.
import { z } from 'zod';
import { formatIpAddress, formatMac } from './format-address.js';
import type { NetworkLink } from './schema.js';

const optionalText = z.string().nullish();

const describedAddress = z.looseObject({
  Family: z.number().int(),
  Address: z.array(z.number().int()),
  PrefixLength: z.number().int(),
});

const describedLink = z.looseObject({
  Index: z.number().int().positive(),
  Name: z.string(),
  Type: optionalText,
  Kind: optionalText,
  Driver: optionalText,
  MTU: z.number().int().nonnegative(),
  HardwareAddress: z.array(z.number().int()).optional(),
  KernelOperationalStateString: optionalText,
  // systemd 252 calls the setup state AdministrativeState; SetupState is read for releases that rename it.
  AdministrativeState: optionalText,
  SetupState: optionalText,
  OperationalState: optionalText,
  CarrierState: optionalText,
  AddressState: optionalText,
  OnlineState: optionalText,
  NetworkFile: optionalText,
  Addresses: z.array(describedAddress).optional(),
});

const describeReply = z.looseObject({ Interfaces: z.array(describedLink).default([]) });

type DescribedLink = z.infer<typeof describedLink>;

function cidrs(link: DescribedLink): string[] {
  const out: string[] = [];
  for (const address of link.Addresses ?? []) {
    const text = formatIpAddress(address.Family, address.Address);
    if (text !== undefined) out.push(`${text}/${address.PrefixLength}`);
  }
  return out;
}

function toLink(link: DescribedLink): NetworkLink {
  return {
    index: link.Index,
    name: link.Name,
    type: link.Type ?? 'unknown',
    kind: link.Kind ?? null,
    driver: link.Driver ?? null,
    mac: formatMac(link.HardwareAddress),
    mtu: link.MTU,
    operState: link.KernelOperationalStateString ?? 'unknown',
    addresses: cidrs(link),
    networkd: {
      administrativeState: link.AdministrativeState ?? link.SetupState ?? 'unknown',
      operationalState: link.OperationalState ?? 'unknown',
      carrierState: link.CarrierState ?? null,
      addressState: link.AddressState ?? null,
      onlineState: link.OnlineState ?? null,
      networkFile: link.NetworkFile ?? null,
    },
  };
}

/** Links sorted by index; throws with the offending JSON path when the reply is not what networkd sends. */
export function parseNetworkdDescribe(json: string): NetworkLink[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`networkd Describe() did not return JSON: ${(error as Error).message}`);
  }
  const parsed = describeReply.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `unexpected networkd Describe() reply at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data.Interfaces.map(toLink).sort((a, b) => a.index - b.index);
}
