// The layers of lib/ are enforced by eslint (eslint.config.js): a module imports only from the
// layers below it. These cases prove the rule can fail, on real files in the real folders.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** Lints a temporary file `lib/FOLDER/NAME.ts` holding `code`, then removes it. */
async function lint(folder: string, code: string): Promise<string[]> {
  const path = `lib/${folder}${folder === '' ? '' : '/'}layer-probe-${randomBytes(4).toString('hex')}.ts`;
  writeFileSync(path, `${code}\nexport {};\n`);
  try {
    const [result] = await eslint.lintFiles([path]);
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  } finally {
    rmSync(path, { force: true });
  }
}

describe('eslint keeps the layers', () => {
  const refused: [string, string, string][] = [
    ['a design importing the HTTP fetcher', 'designs', "import { HttpFetcher } from '../fetchers/http.js';"],
    ['a design importing a seam', 'designs', "import { limit } from '../seams/cap.js';"],
    ['a design importing a package', 'designs', "import got from 'got';"],
    ['an output importing a seam', 'output', "import { ReportLedger } from '../seams/ledger.js';"],
    ['runtime importing a design', 'runtime', "import { Serial } from '../designs/serial.js';"],
    ['a fetcher importing a design', 'fetchers', "import { fetchResult } from '../designs/visit.js';"],
    ['a seam importing the cli', 'seams', "import { crawlFlags } from '../cli/flag-table.js';"],
    ['a seam importing tools/', 'seams', "import { twins } from '../../tools/twins.js';"],
    ['a top-level module importing the cli', '', "import { main } from './cli/main.js';"],
    ['a top-level module importing a design', '', "import { Serial } from './designs/serial.js';"],
    ['a top-level module importing tools/', '', "import { twins } from '../tools/twins.js';"],
  ];
  it.each(refused)('refuses %s', async (_name, folder, code) => {
    expect(await lint(folder, code)).not.toEqual([]);
  });

  const allowed: [string, string, string][] = [
    [
      'a design importing runtime/ and types',
      'designs',
      "import { go } from '../runtime/go.js';\nimport type { Fetcher } from '../types.js';\nimport { fetchResult } from './visit.js';",
    ],
    [
      'a seam importing a fetcher and runtime/',
      'seams',
      "import { normalizeUrl } from '../fetchers/normalize.js';\nimport { onAbort } from '../runtime/abort.js';",
    ],
    ['the cli importing anything in lib/', 'cli', "import { crawl } from '../crawl.js';\nimport { ReportLedger } from '../seams/ledger.js';"],
  ];
  it.each(allowed)('allows %s', async (_name, folder, code) => {
    expect(await lint(folder, code)).toEqual([]);
  });
});
