// Module hooks (node --import ./spec/support/modules.mjs): every module URL resolved is appended,
// one a line, to the file named by CHANCRAWL_MODULES_LOG.
import { appendFileSync } from 'node:fs';
import process from 'node:process';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.CHANCRAWL_MODULES_LOG) appendFileSync(process.env.CHANCRAWL_MODULES_LOG, `${result.url}\n`);
  return result;
}
