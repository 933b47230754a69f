// The flag table: each flag declared once, and --help, parseArgs and zod built from it, with the
// defaults the options themselves use.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { crawlerDefaults } from '../lib/crawl.js';
import { httpDefaults } from '../lib/fetchers/http-defaults.js';
import { genDefaults } from '../lib/fixture/gen.js';
import { crawlFlags, genFlags, httpFlags, policyFlags, serveFlags } from '../lib/cli/flag-table.js';
import { helpOf, labelOf, shapeOf, specsOf, valued, whole } from '../lib/cli/flags.js';
import { politenessDefaults } from '../lib/seams/politeness.js';

const help = spawnSync(process.execPath, ['dist/lib/cli/main.js', '--help'], { encoding: 'utf8' }).stdout;
const tables = { crawlFlags, httpFlags, policyFlags, genFlags, serveFlags };

describe('the flag table', () => {
  it.each(Object.entries(tables))('--help has a line for every flag of %s, with its default', (_name, table) => {
    for (const [name, flag] of Object.entries(table)) {
      expect(help).toContain(`  ${labelOf(name, flag)} `);
      if (flag.shown !== undefined) expect(help.replace(/\s+/g, ' ')).toContain(`(default: ${flag.shown})`);
    }
  });

  it("a flag's default is the option's own default, in the check and in --help", () => {
    const crawl = z.strictObject({ ...shapeOf(crawlFlags), ...shapeOf(httpFlags), ...shapeOf(policyFlags) }).parse({});
    expect(crawl['connect-timeout-ms']).toBe(httpDefaults.connectTimeoutMs);
    expect(crawl['max-bytes']).toBe(httpDefaults.maxBytes);
    expect(crawl.retries).toBe(httpDefaults.retries);
    expect(crawl['delay-ms']).toBe(politenessDefaults.delayMs);
    expect(crawl.variant).toBe(crawlerDefaults.variant);
    expect(httpFlags['max-bytes'].shown).toBe(String(httpDefaults.maxBytes));
    expect(help.replace(/\s+/g, ' ')).toMatch(new RegExp(`--max-bytes N .*\\(default: ${httpDefaults.maxBytes}\\)`));
    const gen = z.strictObject(shapeOf(genFlags)).parse({ pages: '3' });
    expect([gen.degree, gen.seed, gen.missing]).toEqual([genDefaults.degree, genDefaults.seed, genDefaults.missing]);
  });

  it('one entry is a whole flag: check, parseArgs spec and help line', () => {
    const table = { 'new-flag': valued(whole(2), { arg: 'N', help: 'a flag added in one line', default: 7 }) };
    expect(specsOf(table)).toEqual({ 'new-flag': { type: 'string' } });
    expect(helpOf(table)).toBe('  --new-flag N             a flag added in one line (default: 7)\n');
    const shape = z.strictObject(shapeOf(table));
    expect(shape.parse({})).toEqual({ 'new-flag': 7 });
    expect(shape.safeParse({ 'new-flag': '1' }).success).toBe(false);
  });

  it('a name declared two ways is refused', () => {
    expect(() => specsOf({ seed: crawlFlags.seed }, { seed: httpFlags.quiet })).toThrow(/--seed is declared two ways/);
  });

  it('--help lines fit in 100 columns', () => {
    for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
