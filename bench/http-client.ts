// undici vs node:http (the floor): CPU per request on loopback, client and server in one process,
// each client in a process of its own (a cold start, then a second round warm). got's figures in
// bench/findings.md were measured by this file at 3e340d9, when got was still a dependency.
// Usage: node dist/bench/http-client.js [--requests N] [--concurrency K] [--page-kb KB] [--clients undici,node] [--runs R]
import { execFileSync } from 'node:child_process';
import { Agent as HttpAgent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent } from 'undici';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '16' },
    'page-kb': { type: 'string', default: '2' },
    clients: { type: 'string', default: 'undici,node' },
    runs: { type: 'string', default: '3' },
    client: { type: 'string' }, // the child's own client
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const pageKb = Number(values['page-kb']);

type Get = (url: string) => Promise<number>; // resolves with the body's length, read to its end

const clients: Record<string, () => Get> = {
  undici: () => {
    const dispatcher = new Agent({ connections: concurrency });
    return async (url) => {
      const { origin, pathname } = new URL(url);
      const response = await dispatcher.request({ origin, path: pathname, method: 'GET', headersTimeout: 15_000, bodyTimeout: 30_000 });
      let n = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) n += chunk.length;
      return n;
    };
  },
  node: () => {
    const agent = new HttpAgent({ keepAlive: true });
    return (url) =>
      new Promise((resolve, reject) => {
        httpRequest(url, { agent }, (res) => {
          let n = 0;
          res.on('data', (chunk: Buffer) => (n += chunk.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        })
          .on('error', reject)
          .end();
      });
  },
};

/** One client's rounds in this process: [cpu µs per request, requests per second] for each. */
async function measure(name: string): Promise<{ cold: [number, number]; warm: [number, number] }> {
  const body = `<!doctype html><html><head><title>Page</title></head><body>${'<p>Some ordinary words in a paragraph, and <a href="/x">a link</a>.</p>\n'.repeat(Math.max(1, Math.round((pageKb * 1024) / 72)))}</body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = clients[name]!();
  const round = async (): Promise<[number, number]> => {
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) if ((await get(`${base}/p${next++}`)) !== body.length) throw new Error('short body');
      }),
    );
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return [(cpu.user + cpu.system) / requests, (requests / wall) * 1000];
  };
  const cold = await round();
  const warm = await round();
  server.closeAllConnections();
  server.close();
  return { cold, warm };
}

if (values.client !== undefined) {
  console.log(JSON.stringify(await measure(values.client)));
  process.exit(0); // the clients' pools are not closed: the figures are all that is wanted
} else {
  const names = values.clients.split(',');
  const runs = Number(values.runs);
  const self = fileURLToPath(import.meta.url);
  console.log(
    `${requests} GETs of a ${pageKb} KB page, ${concurrency} in flight, client and server in one process (CPU is both), each client in a fresh process; ${runs} runs, interleaved`,
  );
  const figures = new Map<string, { cold: [number, number]; warm: [number, number] }[]>(names.map((n) => [n, []]));
  for (let run = 0; run < runs; run++) {
    for (const name of names) {
      const out = execFileSync(
        process.execPath,
        [self, '--client', name, '--requests', String(requests), '--concurrency', String(concurrency), '--page-kb', String(pageKb)],
        { encoding: 'utf8' },
      );
      figures.get(name)!.push(JSON.parse(out) as { cold: [number, number]; warm: [number, number] });
    }
  }
  const range = (xs: number[]) => `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}`;
  console.log(
    `${'client'.padEnd(8)} ${'cold µs CPU/req'.padStart(16)} ${'cold req/s'.padStart(12)} ${'warm µs CPU/req'.padStart(16)} ${'warm req/s'.padStart(12)}`,
  );
  for (const [name, rows] of figures) {
    console.log(
      `${name.padEnd(8)} ${range(rows.map((r) => r.cold[0])).padStart(16)} ${range(rows.map((r) => r.cold[1])).padStart(12)} ${range(rows.map((r) => r.warm[0])).padStart(16)} ${range(rows.map((r) => r.warm[1])).padStart(12)}`,
    );
  }
}
