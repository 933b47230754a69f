// A consumer project of the packed package, for the specs that type-check and run code as a user of
// chancrawl writes it (spec/package.spec.ts, spec/readme.spec.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const repo = process.cwd();
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string };

/**
 * A consumer project in a temp folder with the packed tarball unpacked as node_modules/chancrawl
 * (what `npm install chancrawl-x.tgz` does) and this repository's node_modules as its
 * dependencies, linked: no network. Returns the project's folder.
 */
export function consumerProject(dir: string, files: Record<string, string>): string {
  const tmp = dirname(dir);
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, pkg.name), { recursive: true });
  const tgz = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['xzf', join(tmp, tgz), '-C', join(modules, pkg.name), '--strip-components=1']);
  for (const dep of readdirSync(join(repo, 'node_modules'))) {
    if (dep !== pkg.name && !dep.startsWith('.')) symlinkSync(join(repo, 'node_modules', dep), join(modules, dep));
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { [pkg.name]: `file:${tgz}` } }),
  );
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** tsc over a consumer project with this tsconfig: its diagnostics, one per line ('' when clean). */
export function typeCheck(dir: string, compilerOptions: Record<string, unknown>): string {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', types: ['node'], skipLibCheck: false, ...compilerOptions }, include: ['*.ts'] }),
  );
  const run = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`.trim();
}
