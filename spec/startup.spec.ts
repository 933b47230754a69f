// What a process loads before its first fetch, read from the module graph (not from a timing): a
// fixture crawl, --help and `import('chancrawl')` load none of the HTTP stack or the picture libraries.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { page, startSite, type Site } from './support/site.js';

let n = 0;
const dir = mkdtempSync(join(tmpdir(), 'chancrawl-modules-'));
/** The npm packages a node process with these arguments loads, by name. Run asynchronously: a
 * test's own site, in this process, must go on answering the child's requests. */
async function packagesLoaded(args: string[]): Promise<Set<string>> {
  const log = join(dir, `modules-${n++}.log`);
  await promisify(execFile)(process.execPath, ['--import', './spec/support/modules.mjs', ...args], { env: { ...process.env, CHANCRAWL_MODULES_LOG: log } });
  const urls = readFileSync(log, 'utf8').trim().split('\n');
  return new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
}

const heavy = ['undici', 'linkedom', 'htmlparser2', 'tldts', 'd3-scale', 'ts-graphviz'];
const cli = 'dist/lib/cli/main.js';

let sites: Site[] = [];
afterEach(async () => {
  await Promise.all(sites.map((s) => s.close()));
  sites = [];
});

describe('what a chancrawl process loads', () => {
  it('a fixture crawl and --help load neither the HTTP stack nor the picture libraries', async () => {
    for (const args of [
      [cli, '--fixture', 'fixtures/golang-org.json'],
      [cli, '--help'],
    ]) {
      const loaded = await packagesLoaded(args);
      expect(loaded.has('zod'), 'the module log works').toBe(true);
      for (const name of heavy) expect(loaded.has(name), `${args.join(' ')} loads ${name}`).toBe(false);
    }
  });

  it("import('chancrawl') loads none of them; 'chancrawl/http' loads undici, htmlparser2 and tldts, not linkedom; 'chancrawl/dom' linkedom", async () => {
    const main = await packagesLoaded([
      '--input-type=module',
      '-e',
      "const { crawl, FixtureFetcher } = await import('chancrawl'); if (typeof crawl !== 'function' || typeof FixtureFetcher !== 'function') process.exit(1);",
    ]);
    expect(main.has('ts-chan')).toBe(true);
    for (const name of heavy) expect(main.has(name), `chancrawl loads ${name}`).toBe(false);
    const http = await packagesLoaded(['--input-type=module', '-e', "const { HttpFetcher } = await import('chancrawl/http'); new HttpFetcher();"]);
    for (const name of ['undici', 'htmlparser2', 'tldts']) expect(http.has(name), name).toBe(true);
    expect(http.has('linkedom')).toBe(false);
    expect((await packagesLoaded(['--input-type=module', '-e', "await import('chancrawl/dom');"])).has('linkedom')).toBe(true);
  });

  it('a crawl over HTTP loads undici and htmlparser2, and no picture library unless asked', async () => {
    const s = await startSite({ '/': page('Home') });
    sites.push(s);
    const loaded = await packagesLoaded([cli, '--quiet', s.url('/')]);
    expect(loaded.has('undici') && loaded.has('htmlparser2')).toBe(true);
    for (const name of ['linkedom', 'd3-scale', 'ts-graphviz']) expect(loaded.has(name), name).toBe(false);
    const pictured = await packagesLoaded([cli, '--quiet', '--timeline', join(dir, 't.svg'), '--graph', join(dir, 'g.dot'), s.url('/')]);
    expect(pictured.has('d3-scale') && pictured.has('ts-graphviz')).toBe(true);
  });
});
