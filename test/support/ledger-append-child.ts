// Run by vite-node as a separate process: appends N entries to the ledger under a root, for the concurrency test.
import { openLedger } from '../../src/ledger/ledger.js';
import { Machine } from '../../src/machine/machine.js';
import { sampleRecord } from './ledger-fixture.js';

const [root, count] = process.argv.slice(2);
const ledger = openLedger(new Machine({ root: root as string }), { lockTimeoutMs: 60_000 });
for (let index = 0; index < Number(count); index++) await ledger.append(sampleRecord(index));
