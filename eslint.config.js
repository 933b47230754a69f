// Lint: typescript-eslint's recommended rules; no `any` in lib/; and the layers of lib/, each
// importing only from the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// lib/'s layers, lowest first, each with the folders and top-level modules it may import from (its
// own folder always). The base is lib/types.ts, errors.ts, version.ts and package-root.ts.
const base = ['types', 'errors', 'version', 'package-root', 'html', 'main-module'];
const layers = {
  runtime: [],
  designs: ['runtime', 'types'],
  output: ['types', 'errors', 'html'], // errors.ts: OutputError, what a failed write is
  fetchers: ['runtime', ...base],
  fixture: ['runtime', 'fetchers', ...base],
  seams: ['runtime', 'fetchers', ...base],
  cli: ['runtime', 'designs', 'output', 'fetchers', 'fixture', 'seams', 'crawl', 'site', 'shared', ...base],
};
// lib/'s top-level modules: the base (any module not named below), the gate (crawl.ts), crawlSite (site.ts) and the package faces (index.ts, http.ts, dom.ts).
const topLevel = {
  base: base,
  crawl: ['runtime', 'designs', 'seams', ...base],
  shared: ['runtime', 'designs', 'seams', ...base], // the gate of a crawl shared through Redis
  site: ['fetchers', 'seams', 'crawl', ...base], // crawlSite: crawl() over HTTP with the CLI's defaults
  index: ['runtime', 'designs', 'output', 'fetchers', 'fixture', 'seams', 'crawl', 'site', ...base],
  http: ['fetchers', 'seams', ...base], // the package's chancrawl/http face
  dom: ['fetchers', ...base], // the package's chancrawl/dom face
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A module of `names`, written as an import from `prefix` ('../' in a folder, './' at the top). */
const allowed = (names) => names.map((n) => `${escape(n)}(\\.js$|/)`).join('|');
const rule = (prefix, names, extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { regex: `^${escape(prefix)}(?!${allowed(names) || '$^'})`, message: 'a module imports only from the layers below it (eslint.config.js lists them)' },
        { regex: prefix === './' ? '^\\.\\./' : '^\\.\\./\\.\\./', message: 'nothing in lib/ imports from outside it (tools/, spec/)' },
        ...extra,
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'out/', 'coverage/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['lib/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  ...Object.entries(layers).map(([layer, below]) => ({
    files: [`lib/${layer}/**/*.ts`],
    // The designs read beside their Go twins: no package, not even node's, only runtime/ and types.
    rules: rule('../', below, layer === 'designs' ? [{ regex: '^[^.]', message: 'a design imports only runtime/ and types' }] : []),
  })),
  ...Object.entries(topLevel).map(([name, below]) => ({
    files: name === 'base' ? ['lib/*.ts'] : [`lib/${name}.ts`],
    rules: rule('./', below),
  })),
);
