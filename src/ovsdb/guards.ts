// Guards: `wait` operations with timeout 0 placed first in a transaction, restating what the writer read, so the
// server commits the transaction only if that still holds (RFC 7047 §5.2.6) and fails it at once otherwise.
import { uuid } from './datum.js';
import { OvsdbTransactionError } from './errors.js';
import type { OvsdbOperation } from './operations.js';

/** Fails its transaction unless no row of `table` is named `name`. */
export const noRowNamed = (table: string, name: string): OvsdbOperation => ({
  op: 'wait',
  timeout: 0,
  table,
  where: [['name', '==', name]],
  columns: ['name'],
  until: '==',
  rows: [],
});

/** Fails its transaction unless the row `rowUuid` of `table` still exists with `value` in `column`. */
export const rowStillHas = (
  table: string,
  rowUuid: string,
  column: string,
  value: string,
): OvsdbOperation => ({
  op: 'wait',
  timeout: 0,
  table,
  where: [['_uuid', '==', uuid(rowUuid)]],
  columns: [column],
  until: '==',
  rows: [{ [column]: value }],
});

/** Fails its transaction unless the row `rowUuid` of `table` still exists, named `name`. */
export const rowStillNamed = (table: string, rowUuid: string, name: string): OvsdbOperation =>
  rowStillHas(table, rowUuid, 'name', name);

/**
 * The index of the guard that failed `error`, when the first `guardCount` operations were guards: a wait
 * that timed out (RFC 7047 §5.2.6) — any other failure, even at a guard's index, is not a guard's verdict.
 */
export function failedGuard(error: unknown, guardCount: number): number | undefined {
  const guardFailed =
    error instanceof OvsdbTransactionError && error.index < guardCount && error.error === 'timed out';
  return guardFailed ? error.index : undefined;
}
