// What a plugin contributes to a generated NixOS configuration: option values at attribute paths, and what
// it could not express (listed in the output, never dropped silently).

/** A Nix value: JSON-like data, or a raw expression such as `pkgs.openssh` (printed as written). */
export type NixValue =
  | null
  | boolean
  | number
  | string
  | NixValue[]
  | { [name: string]: NixValue }
  | NixExpression;

export interface NixExpression {
  readonly nixExpression: string;
}

export interface NixOption {
  /** Attribute path, e.g. ["boot", "kernel", "sysctl", "vm.swappiness"]. */
  path: string[];
  value: NixValue;
  /** One line printed above the option. */
  comment?: string;
}

export interface NotExported {
  /** What was left out: a JSON path or a name (a package, a unit). */
  item: string;
  reason: string;
}

export interface NixContribution {
  options: NixOption[];
  unmapped: NotExported[];
}
