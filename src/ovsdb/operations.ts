// The operations of an OVSDB `transact` (RFC 7047 §5.2) and what each returns.
import type { OvsdbDatum, OvsdbRow, OvsdbUuid } from './datum.js';

export type OvsdbCondition = [
  column: string,
  fn: '==' | '!=' | 'includes' | 'excludes' | '<' | '<=' | '>' | '>=',
  value: OvsdbDatum,
];
export type OvsdbMutation = [
  column: string,
  mutator: '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete',
  value: OvsdbDatum,
];

export type OvsdbOperation =
  | { op: 'insert'; table: string; row: OvsdbRow; 'uuid-name'?: string }
  | { op: 'select'; table: string; where: OvsdbCondition[]; columns?: string[] }
  | { op: 'update'; table: string; where: OvsdbCondition[]; row: OvsdbRow }
  | { op: 'mutate'; table: string; where: OvsdbCondition[]; mutations: OvsdbMutation[] }
  | { op: 'delete'; table: string; where: OvsdbCondition[] }
  | {
      op: 'wait';
      table: string;
      where: OvsdbCondition[];
      columns: string[];
      until: '==' | '!=';
      rows: OvsdbRow[];
      timeout?: number;
    }
  | { op: 'commit'; durable: boolean }
  | { op: 'abort' }
  | { op: 'comment'; comment: string }
  | { op: 'assert'; lock: string };

/** One element of a transact reply: which keys are present depends on the operation. */
export interface OvsdbOperationResult {
  uuid?: OvsdbUuid;
  rows?: OvsdbRow[];
  count?: number;
  error?: string;
  details?: string;
}

/** Monitor request for one table (RFC 7047 §4.1.5); `select` defaults to all four kinds of change. */
export interface OvsdbMonitorRequest {
  columns?: string[];
  select?: { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
}

/** Per table, per row uuid: the row before (`old`) and after (`new`) the change. */
export type OvsdbTableUpdates = Record<string, Record<string, { old?: OvsdbRow; new?: OvsdbRow }>>;
