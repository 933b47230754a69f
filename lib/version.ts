// chancrawl's name, version and home page, read once from package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

interface PackageJson {
  version: string;
  homepage?: string;
}

const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as PackageJson;

export const version: string = pkg.version;

/** Where a site owner who sees chancrawl in their logs can read what it is. */
export const homepage: string = pkg.homepage ?? 'https://www.npmjs.com/package/chancrawl';

/** The User-Agent chancrawl sends unless told otherwise: its name, version and where to read about it. */
export const userAgent = `chancrawl/${version} (+${homepage})`;
