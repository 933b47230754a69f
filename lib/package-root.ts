// Where chancrawl's own files are: the folder holding its package.json, found from this module
// whether it runs as lib/*.ts (vitest) or as dist/lib/*.js (built), at any depth below lib/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`chancrawl: no package.json above ${from}`);
  }
}

/** The package's root folder: package.json, fixtures/ and (in a checkout) go/ are here. */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));
