// `make site-graph`: the link graph of a real site, the Python 3.11 docs (Debian's python3.11-doc)
// served by nginx on 127.0.0.1, drawn by the CLI's --graph and rendered to docs/site-graph.png.
import { execFileSync } from 'node:child_process';
import { ensureSitePackages, pythonDocs, startNginx } from '../bench/site.js';
import { isMainModule } from '../lib/main-module.js';

if (isMainModule(import.meta)) {
  ensureSitePackages();
  const site = await startNginx(pythonDocs);
  try {
    execFileSync(process.execPath, ['dist/lib/cli/main.js', '--quiet', '--graph', 'docs/site-graph.dot', `${site.origin}/`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    await site.stop();
  }
  execFileSync('dot', ['-Tpng', '-Gdpi=72', 'docs/site-graph.dot', '-o', 'docs/site-graph.png']);
  console.log('wrote docs/site-graph.png (from docs/site-graph.dot)');
}
