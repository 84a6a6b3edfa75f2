// A record whose keys follow a grammar, with each bad key refused at its own JSON path and with the
// grammar's words: zod's key schemas report only "Invalid key in record".
import { z } from 'zod';

export function checkedKeyRecord<Value extends z.ZodType>(
  isValidKey: (key: string) => boolean,
  keyMessage: string,
  value: Value,
) {
  return z.record(z.string(), value).superRefine((record, context) => {
    for (const key of Object.keys(record)) {
      if (!isValidKey(key)) context.addIssue({ code: 'custom', path: [key], message: keyMessage });
    }
  });
}
