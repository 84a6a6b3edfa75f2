// Reading a transact reply (RFC 7047 §4.1.3): the first failed operation — or the extra trailing element when
// the commit itself failed — means the whole transaction was rolled back by the server.
import { OvsdbTransactionError } from './errors.js';
import type { OvsdbOperation, OvsdbOperationResult } from './operations.js';

export function checkTransactResults(
  operations: readonly OvsdbOperation[],
  results: readonly (OvsdbOperationResult | null)[],
): OvsdbOperationResult[] {
  for (const [index, result] of results.entries()) {
    if (result?.error !== undefined) {
      const op = operations[index]?.op ?? 'commit';
      throw new OvsdbTransactionError(index, op, result.error, result.details);
    }
  }
  if (results.length < operations.length) {
    throw new OvsdbTransactionError(
      results.length,
      operations[results.length]?.op ?? 'commit',
      'incomplete reply',
      `the server answered ${results.length} of ${operations.length} operations`,
    );
  }
  return results.slice(0, operations.length).map((result) => result ?? {});
}
