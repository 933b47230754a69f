// Whether a module is the program node runs (node dist/lib/cli/main.js, a symlinked bin), not an import.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module of `meta` is the program node was started with. */
export function isMainModule(meta: ImportMeta): boolean {
  return process.argv[1] !== undefined && process.argv[1] !== '' && realpathSync(process.argv[1]) === fileURLToPath(meta.url);
}
