// chancrawl's name, version and home page, read once from package.json.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  version: string;
  homepage?: string;
}

const packagePath = ['../package.json', '../../package.json'] // lib/*.ts under vitest, dist/lib/*.js when built
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((path) => existsSync(path))!;

const pkg = JSON.parse(readFileSync(packagePath, 'utf8')) as PackageJson;

export const version: string = pkg.version;

/** Where a site owner who sees chancrawl in their logs can read what it is. */
export const homepage: string = pkg.homepage ?? 'https://www.npmjs.com/package/chancrawl';

/** The User-Agent chancrawl sends unless told otherwise: its name, version and where to read about it. */
export const userAgent = `chancrawl/${version} (+${homepage})`;
