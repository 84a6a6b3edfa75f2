// The shape of a database schema as get_schema returns it (RFC 7047 §3.2), as far as op-dbus reads it.

export interface OvsdbColumnSchema {
  type: unknown;
  ephemeral?: boolean;
  mutable?: boolean;
}

export interface OvsdbTableSchema {
  columns: Record<string, OvsdbColumnSchema>;
  isRoot?: boolean;
  maxRows?: number;
  indexes?: string[][];
}

export interface OvsdbSchema {
  name: string;
  version: string;
  cksum?: string;
  tables: Record<string, OvsdbTableSchema>;
}
