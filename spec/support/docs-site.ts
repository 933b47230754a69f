// A few pages written like the Python docs (Sphinx's layout: relative links, a genindex page that
// repeats its links, stylesheets, scripts and a logo under _static/, one broken link from several
// pages, one link to another site), written to a temp dir and served from it on 127.0.0.1.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { startSite, type Site } from './site.js';

/** A Sphinx page: head with the docs' <link>/<script> assets, body with a logo and the links. */
function sphinxPage(title: string, root: string, links: string[], extra = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title} &#8212; Python 3.11.2 documentation</title>
    <link rel="stylesheet" type="text/css" href="${root}_static/pydoctheme.css" />
    <script src="${root}_static/doctools.js"></script>
    <link rel="index" title="Index" href="${root}genindex.html" />
    <link rel="shortcut icon" type="image/png" href="${root}_static/py.svg" />
  </head>
  <body>
    <img src="${root}_static/py.svg" alt="Logo"/>
    ${links.map((l) => `<a class="reference internal" href="${l}">${l}</a>`).join('\n    ')}
    ${extra}
  </body>
</html>
`;
}

/** path -> file contents. `external` is the origin of another site that a page links to. */
export function docsFiles(external: string): Record<string, string> {
  return {
    'index.html': sphinxPage('3.11.2 Documentation', '', ['library/index.html', 'genindex.html', 'whatsnew/3.11.html']),
    'genindex.html': sphinxPage('Index', '', [
      ...Array.from({ length: 40 }, (_, i) => (i % 2 ? 'library/os.html#os.' + i : 'library/functions.html#f' + i)),
      'library/index.html',
    ]),
    'library/index.html': sphinxPage('The Python Standard Library', '../', ['functions.html', 'os.html', '../index.html']),
    'library/functions.html': sphinxPage('Built-in Functions', '../', ['os.html', 'missing.html', '../index.html']),
    'library/os.html': sphinxPage(
      'os \u2014 Miscellaneous operating system interfaces',
      '../',
      ['functions.html', 'missing.html', `${external}/ok`, `${external}/gone`, `${external}/no-head`],
      '<img src="../_static/gone.png" alt="a broken image"/>',
    ),
    'whatsnew/3.11.html': sphinxPage('What\u2019s New In Python 3.11, "fast"', '../', ['../library/missing.html', '../index.html']),
    '_static/pydoctheme.css': 'body { margin: 0 }\n',
    '_static/doctools.js': 'void 0;\n',
    '_static/py.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
  };
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
};

/** Writes `files` into a fresh temp dir and serves it: `/PATH` answers the file (HEAD too), anything else 404. */
export async function serveDocs(files: Record<string, string>): Promise<Site & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-docs-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const site = await startSite();
  for (const path of Object.keys(files)) {
    site.route(`/${path}`, (req, res) => {
      const body = readFileSync(join(dir, normalize(path)));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }
  return Object.assign(site, { dir });
}
