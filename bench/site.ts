// The real-site rig: Debian's python3.11-doc served by nginx-light on 127.0.0.1, with a config of
// its own in a temp dir, and what each crawler of it found, as a set of URLs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where python3.11-doc puts the HTML docs. */
export const pythonDocs = '/usr/share/doc/python3.11/html';
const nginx = '/usr/sbin/nginx';

/** Installs python3.11-doc and nginx-light with apt-get when missing (CI is a fresh machine). */
export function ensureSitePackages(): void {
  const missing = [
    ...(existsSync(join(pythonDocs, 'index.html')) ? [] : ['python3.11-doc']),
    ...(existsSync(nginx) ? [] : ['nginx-light']),
    ...(existsSync('/usr/bin/wget') ? [] : ['wget']),
  ];
  if (missing.length === 0) return;
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nginx serving `root` on 127.0.0.1 (one worker, no access log), stopped by its PID. */
export async function startNginx(root: string): Promise<{ origin: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-nginx-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`,
  );
  const server = spawn(nginx, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const exited = once(server, 'exit');
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/`, { method: 'HEAD' })).ok) break;
    } catch {
      if (i > 100 || server.exitCode !== null)
        throw new Error(`nginx did not answer on ${origin}: ${readFileSync(join(dir, 'error.log'), 'utf8').slice(-300)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    origin,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One whole-process run: wall seconds and peak RSS from /usr/bin/time; stdout to `stdoutFile`; exit statuses in `ok` are success. */
export function timedRun(command: string, args: string[], stdoutFile?: string, ok: number[] = [0]): { wallS: number; maxRssMB: number } {
  const t0 = performance.now();
  const shell = `/usr/bin/time -f 'time: %e %M' "$@"${stdoutFile === undefined ? ' > /dev/null' : ` > '${stdoutFile}'`}`;
  const { stderr, status } = spawnSync('sh', ['-c', shell, 'sh', command, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const m = /time: ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (m === null || !ok.includes(status ?? -1)) throw new Error(`no timing from ${command} ${args.join(' ')}: ${stderr.slice(-300)}`);
  return { wallS: (performance.now() - t0) / 1000, maxRssMB: Number(m[2]) / 1024 };
}

/** The URLs a chancrawl --format jsonl report has found, redirects left out (their targets are there). */
export function foundInReport(file: string): Set<string> {
  const found = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as { url: string; outcome: string; status?: number; contentType?: string };
    if (row.outcome === 'found' && isPage(row.status, row.contentType)) found.add(row.url);
  }
  return found;
}

/** The HTML pages wget --spider -r found (200, text/html), from its log. */
export function foundInWgetLog(file: string): { pages: Set<string>; others: number } {
  const pages = new Set<string>();
  let others = 0;
  let url: string | undefined;
  let status: number | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = /^--[\d-]+ [\d:]+--\s+(\S+)/.exec(line);
    if (at) [url, status] = [at[1], undefined];
    const answer = /awaiting response\.\.\. (\d{3})/.exec(line);
    if (answer) status = Number(answer[1]);
    const length = /^Length: .*\[([^\]]+)\]/.exec(line);
    if (length && url !== undefined && status !== undefined) {
      if (isPage(status, length[1])) pages.add(url);
      else if (status < 300) others += 1;
      url = undefined;
    }
  }
  return { pages, others };
}

function isPage(status: number | undefined, contentType: string | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300 && /^text\/html/i.test(contentType ?? '');
}

/** `a` and `b` as the same set, or what each has that the other lacks (a few of each). */
export function sameSet(a: Set<string>, b: Set<string>): string {
  const onlyA = [...a].filter((u) => !b.has(u));
  const onlyB = [...b].filter((u) => !a.has(u));
  if (onlyA.length === 0 && onlyB.length === 0) return 'same';
  return `differ: ${onlyA.length} only here (${onlyA.slice(0, 2).join(' ')}), ${onlyB.length} only there (${onlyB.slice(0, 2).join(' ')})`;
}

/** The found HTML pages in httpcrawl's -out file (URL, status, media type, tab-separated). */
export function foundInGoList(file: string): Set<string> {
  const found = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [url, status, mime] = line.split('\t');
    if (url && isPage(Number(status), mime)) found.add(url);
  }
  return found;
}
