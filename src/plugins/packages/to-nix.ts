// The packages section as NixOS options: environment.systemPackages for the manually installed packages
// the mapping table knows a nixpkgs attribute for; the other manual packages are listed.

import type { NixContribution, NixExpression, NotExported } from '../../export/nix/contribution.js';
import { PACKAGE_ATTRIBUTES } from '../../export/nix/package-attributes.js';
import { nixAttributeName, nixExpression } from '../../export/nix/printer.js';
import { compareStrings } from '../../util/order.js';
import type { PackagesConfig } from './schema.js';

export function packagesToNix(config: PackagesConfig): NixContribution {
  const attributes = new Set<string>();
  const unmapped: NotExported[] = [];
  for (const [name, installed] of Object.entries(config.packages)) {
    if (!installed.manual) continue;
    const attribute = Object.hasOwn(PACKAGE_ATTRIBUTES, name) ? PACKAGE_ATTRIBUTES[name] : undefined;
    if (attribute === undefined)
      unmapped.push({ item: `package ${name}`, reason: 'no nixpkgs attribute in the mapping table' });
    else attributes.add(attribute);
  }
  const packages: NixExpression[] = [...attributes]
    .sort(compareStrings)
    .map((attribute) => nixExpression(`pkgs.${nixAttributeName(attribute)}`));
  return {
    options: [{ path: ['environment', 'systemPackages'], value: packages }],
    unmapped,
  };
}
