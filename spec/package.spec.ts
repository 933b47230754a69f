// The package as npm ships it: what the tarball holds (and does not), whether its source maps and
// imports point at files it holds, whether a consumer project type-checks against it under
// NodeNext and Bundler resolution without skipLibCheck, and the install stamp `npm ci` leaves alone.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, typeCheck } from './support/consumer.js';

const repo = process.cwd();
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
  dependencies: Record<string, string>;
};
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-package-'));

/** The files `npm pack` would put in the tarball, by path (package.json's `files`, plus what npm always adds). */
function packed(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [report] = JSON.parse(out) as [{ files: { path: string }[] }];
  return new Set(report.files.map((f) => f.path));
}

describe('npm pack', () => {
  let files: Set<string>;
  beforeAll(() => {
    files = packed();
  });

  it('holds the entry points, the CLI, its default fixture, the sources, README and LICENSE', () => {
    const entries = Object.values(pkg.exports).flatMap((e) => [e.types, e.default]);
    for (const f of ['package.json', 'README.md', 'LICENSE', ...Object.values(pkg.bin), ...entries, 'fixtures/golang-org.json', 'lib/crawl.ts'])
      expect(files, f).toContain(normalize(f));
  });

  it('holds none of the tests, tools, benches, demos, Go twins, outputs or test fixtures', () => {
    const unwanted = [...files].filter((f) =>
      /^(spec|tools|bench|demos|docs|go|out|node_modules|\.ci|coverage)\/|^dist\/(?!lib\/)|^fixtures\/(?!golang-org\.json$)|\.tgz$|\.stamp/.test(f),
    );
    expect(unwanted).toEqual([]);
    expect([...files].filter((f) => f.startsWith('fixtures/'))).toEqual(['fixtures/golang-org.json']);
  });

  it("every source map's sources are in the tarball", () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(50); // a .js.map and a .d.ts.map per module
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      return sources
        .map((s) => normalize(join(dirname(map), s)))
        .filter((s) => !files.has(s))
        .map((s) => `${map} -> ${s}`);
    });
    expect(missing).toEqual([]);
  });

  it("every import in the shipped code is a shipped file, a Node built-in or one of package.json's dependencies", () => {
    const builtins = new Set(builtinModules);
    const bad: string[] = [];
    let checked = 0;
    for (const file of [...files].filter((f) => /\.(js|d\.ts)$/.test(f) && f.startsWith('dist/'))) {
      // import/export ... from '...', import '...', import('...'): tsc's own output, one statement a line
      for (const [, fromStatement, fromCall] of readFileSync(file, 'utf8').matchAll(
        /^\s*(?:(?:import|export)\s[^'"]*?from\s*|import\s*)['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm,
      )) {
        const spec = fromStatement ?? fromCall;
        checked += 1;
        if (spec!.startsWith('.')) {
          const target = normalize(join(dirname(file), file.endsWith('.d.ts') ? spec!.replace(/\.js$/, '.d.ts') : spec!));
          if (!files.has(target)) bad.push(`${file}: ${spec}`);
        } else if (
          !builtins.has(spec!.replace(/^node:/, '')) &&
          !Object.hasOwn(pkg.dependencies, spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!)
        ) {
          bad.push(`${file}: ${spec} is not a dependency`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(checked, 'the imports were read').toBeGreaterThan(200);
  });
});

/** A consumer's module that uses the public types, with mistakes tsc must catch (so the types are not `any`). */
const consumer = `import { crawl, FixtureFetcher, makeChan, range, ReportLine, type Chan, type Fetcher, type Page, type Result } from 'chancrawl';
import { HttpFetcher, scopeTest } from 'chancrawl/http';
import { documentOf } from 'chancrawl/dom';

const pages: Record<string, Page> = { 'http://a/': { url: 'http://a/', urls: ['http://a/b'] } };
const fetcher: Fetcher = { fetch: async (url) => pages[url] ?? Promise.reject(new Error('missing')) };
const seen: Result[] = [];
for await (const r of crawl('http://a/', fetcher, { variant: 'mutex', maxDepth: 2, perHost: 2 })) {
  if (r.kind === 'found') console.log(r.page.title?.toUpperCase(), r.page.urls.length);
  // @ts-expect-error: a skipped result has no page
  else if (r.kind === 'skipped') console.log(r.page);
  seen.push(r);
}
// @ts-expect-error: no such design
void crawl('http://a/', fetcher, { variant: 'parallel' });
const ch: Chan<number> = makeChan<number>(1);
await ch.send(1);
ch.close();
for await (const n of range(ch)) console.log(n.toFixed(0));
// @ts-expect-error: a Chan<number> takes numbers
void ch.send('one');
const line = ReportLine.parse(JSON.parse('{}'));
if (line.outcome === 'found') console.log(line.url);
void [FixtureFetcher, HttpFetcher, scopeTest, documentOf];
`;

describe('the types, as a consumer project meets them', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumerProject(join(tmp, 'types'), { 'main.ts': consumer });
  });
  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])(
    'type-check under moduleResolution %s, without skipLibCheck',
    (_, options) => {
      expect(typeCheck(dir, options)).toBe('');
    },
    60_000,
  );

  it("the public declarations load none of ts-chan's (their extensionless imports fail under NodeNext)", () => {
    const declarations = readdirSync('dist/lib', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'));
    expect(declarations.filter((f) => /from ['"]ts-chan['"]/.test(readFileSync(join('dist/lib', f), 'utf8')))).toEqual([]);
  });
});

describe('the install stamp', () => {
  it('`npm ci && make build` installs once: the stamp is the file npm ci itself writes', () => {
    // What `npm ci` leaves: node_modules emptied and refilled, its hidden lock file written last.
    const dir = join(tmp, 'stamp');
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    for (const f of ['Makefile', 'package.json', 'package-lock.json', 'tsconfig.json']) cpSync(f, join(dir, f));
    writeFileSync(join(dir, 'node_modules/.package-lock.json'), '{}');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'node_modules/.package-lock.json'), later, later);
    const plan = execFileSync('make', ['-n', 'build'], { cwd: dir, encoding: 'utf8' });
    expect(plan).not.toMatch(/npm ci/);
    expect(plan, 'make -n shows the build').toMatch(/tsc -p tsconfig\.json/);
    // and a changed lock file still reinstalls
    const newer = new Date(Date.now() + 10_000);
    utimesSync(join(dir, 'package-lock.json'), newer, newer);
    expect(execFileSync('make', ['-n', 'build'], { cwd: dir, encoding: 'utf8' })).toMatch(/npm ci/);
    expect(existsSync(join(repo, 'node_modules/.package-lock.json'))).toBe(true);
  });
});
