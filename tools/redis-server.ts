// A redis-server of one's own, for the tests, the demo and the bench: a free port on 127.0.0.1, a
// temp dir, no persistence, stopped by its PID. Redis is Debian's redis-server (apt-get install -y redis-server).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  /** Commands Redis has run, by name (INFO commandstats), e.g. { evalsha: 120 }. */
  calls(): Record<string, number>;
  stop(): Promise<void>;
}

/** How to get redis-server, for the line that says it is missing. */
export const installRedis = 'apt-get install -y redis-server';

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).error === undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' }, () => (c.end(), resolve(true)));
    c.on('error', () => resolve(false));
  });

export async function startRedis(port?: number): Promise<RedisServer> {
  if (!hasRedisServer()) throw new Error(`redis-server is not installed: ${installRedis} (make test and .ci/run do it)`);
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  while (!(await answers(port))) await sleep(20);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    calls() {
      const info = spawnSync('redis-cli', ['-p', String(port), 'INFO', 'commandstats'], { encoding: 'utf8' }).stdout;
      return Object.fromEntries([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map(([, name, n]) => [name!, Number(n)]));
    },
    async stop() {
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
