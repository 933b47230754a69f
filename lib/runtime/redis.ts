// One crawl's shared state in Redis, for the design in designs/redis.ts: the channel is a Stream
// with a consumer group, the fetched map a hash, the coordinator's n a counter, and each step
// that must be atomic one Lua script (one round trip). Keys: chancrawl:NAME:*.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { sleep } from './abort.js';
import { redisDefaults } from './redis-defaults.js';

/** What a process reads from the stream: one URL to fetch, as the channel design's worker gets it. */
export interface Entry {
  id: string;
  url: string;
  depth: number;
  /** False for a URL reached again along a shorter path (a depth limit): re-expanded, not reported. */
  first: boolean;
  /** The page that sent it; '' for the start. */
  parent: string;
}

/** What a worker sends back for its entry (the channel design's message), as report lines. */
export interface Message {
  /** The result's jsonl line; undefined for a re-expansion. */
  line?: string;
  /** The links to crawl, from a page with hops left. */
  urls: string[];
  /** The links of a page with no hops left: reported skipped 'depth' at the end unless fetched. */
  beyond: string[];
  /** Links a seam dropped, each with its skipped jsonl line. */
  dropped: { url: string; line: string }[];
  /** The page's links, kept for a re-expansion (only with a depth limit). */
  links?: string[];
}

/** Hops left with no depth limit: Lua numbers are doubles, and 'inf' does not parse. */
const unlimited = 1e15;

const group = 'workers';

/** A Lua script, sent once and then called by its SHA (sent again if Redis has forgotten it). */
function script(lua: string) {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}

// Start the crawl if it is new (the start URL sent, n = 1), else answer the options it has.
const begin = script(`
local old = redis.call('GET', KEYS[1])
if old then return old end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14])
redis.call('XGROUP', 'CREATE', KEYS[2], '${group}', '0', 'MKSTREAM')
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
redis.call('XADD', KEYS[2], '*', 'u', ARGV[2], 'd', '0', 'f', '1', 'p', '')
redis.call('SET', KEYS[3], 1)
return false`);

// Lua shared by send and reserve. skipped(): a skipped URL's report line, once for the whole crawl
// (the fields in reportLine's order). limitReached(): with a page limit (ARGV[LIMIT]), once every
// fetch it granted has been reported, the URLs the limit left (still in the stream, or refused by
// reserve) are reported skipped 'max-pages', those beyond the depth limit 'depth', and n set to 0.
const lua = (limitArg: number) => `
local function skipped(lines, u, d, parent, reason)
  if redis.call('HEXISTS', KEYS[4], u) == 1 and reason == 'depth' then return end
  if redis.call('SADD', KEYS[6], u) == 0 then return end
  local line = '{"url":' .. cjson.encode(u) .. ',"depth":' .. d .. (parent == '' and '' or ',"parent":' .. cjson.encode(parent)) .. ',"outcome":"skipped","reason":"' .. reason .. '"}'
  redis.call('XADD', KEYS[5], '*', 'r', line); lines[#lines + 1] = line
end
local function beyond(lines)
  local b = redis.call('HGETALL', KEYS[7])
  for j = 1, #b, 2 do
    local d, parent = string.match(b[j + 1], '^(%d+) (.*)$')
    skipped(lines, b[j], d, parent, 'depth')
  end
end
local function limitReached(lines)
  local limit = tonumber(ARGV[${limitArg}])
  if limit < 0 or tonumber(redis.call('GET', KEYS[12]) or '0') < limit or redis.call('SCARD', KEYS[13]) > 0 then return false end
  for _, e in ipairs(redis.call('XRANGE', KEYS[2], '-', '+')) do
    local f = {}
    for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
    skipped(lines, f.u, f.d, f.p, 'max-pages')
  end
  local refused = redis.call('HGETALL', KEYS[14])
  for j = 1, #refused, 2 do
    local d, parent = string.match(refused[j + 1], '^(%d+) (.*)$')
    skipped(lines, refused[j], d, parent, 'max-pages')
  end
  beyond(lines)
  redis.call('XTRIM', KEYS[2], 'MAXLEN', 0)
  redis.call('DEL', KEYS[14])
  redis.call('SET', KEYS[3], 0)
  return true
end
`;

// The coordinator's loop body for one message, atomically: acknowledge the entry (only the first
// process to finish it counts), report its result once, testAndSet each link on the fetched map
// and send the new ones (n += 1 each), then n -= 1; at 0, report the links beyond the depth limit.
// Returns {lines reported, n}, or n = -1 when another process had already finished the entry.
// With a page limit, the entry's grant is spent, and the last one reported ends the crawl.
const send = script(`${lua(11)}
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('LOST the crawl is gone from Redis') end
if redis.call('XACK', KEYS[2], '${group}', ARGV[1]) == 0 then return {{}, -1} end
redis.call('XDEL', KEYS[2], ARGV[1])
if tonumber(redis.call('GET', KEYS[3])) == 0 then return {{}, 0} end -- the page limit ended the crawl while this re-expansion was in flight
redis.call('HINCRBY', KEYS[9], ARGV[10], 1)
local url = ARGV[2]
local lines = {}
if ARGV[3] ~= '' and redis.call('SADD', KEYS[6], url) == 1 then
  redis.call('XADD', KEYS[5], '*', 'r', ARGV[3]); lines[#lines + 1] = ARGV[3]
end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[8], url, ARGV[8]) end
local depth, left = ARGV[4], tonumber(ARGV[5])
local i, added = 12, 0
for _ = 1, tonumber(ARGV[6]) do
  local u = ARGV[i]; i = i + 1
  local seen = redis.call('HGET', KEYS[4], u)
  if not seen or tonumber(seen) < left then
    redis.call('HSET', KEYS[4], u, ARGV[5])
    redis.call('XADD', KEYS[2], '*', 'u', u, 'd', depth, 'f', seen and '0' or '1', 'p', url)
    added = added + 1
  end
end
for _ = 1, tonumber(ARGV[7]) do
  local u = ARGV[i]; i = i + 1
  if redis.call('HEXISTS', KEYS[4], u) == 0 then redis.call('HSETNX', KEYS[7], u, depth .. ' ' .. url) end
end
for _ = 1, tonumber(ARGV[9]) do
  local u, line = ARGV[i], ARGV[i + 1]; i = i + 2
  if redis.call('HEXISTS', KEYS[4], u) == 0 and redis.call('SADD', KEYS[6], u) == 1 then
    redis.call('XADD', KEYS[5], '*', 'r', line); lines[#lines + 1] = line
  end
end
local n = redis.call('INCRBY', KEYS[3], added - 1)
redis.call('SREM', KEYS[13], ARGV[1])
if limitReached(lines) then return {lines, 0} end
if n == 0 then beyond(lines) end
return {lines, n}`);

// The page limit across processes, before any fetch: of the entries given (id, url, depth, parent),
// those granted a fetch (a grant is kept by its entry, so one taken from a dead process keeps it);
// the rest are acknowledged and kept to be reported skipped 'max-pages'. Returns {granted ids, lines
// reported, 1 when no grant is left}.
const reserve = script(`${lua(1)}
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('LOST the crawl is gone from Redis') end
local limit = tonumber(ARGV[1])
local started = tonumber(redis.call('GET', KEYS[12]) or '0')
local granted, lines = {}, {}
for i = 2, #ARGV, 4 do
  local id, u, d, parent = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('SISMEMBER', KEYS[13], id) == 1 then
    granted[#granted + 1] = id
  elseif started < limit then
    started = started + 1
    redis.call('SADD', KEYS[13], id)
    granted[#granted + 1] = id
  elseif redis.call('XACK', KEYS[2], '${group}', id) == 1 then
    redis.call('XDEL', KEYS[2], id)
    redis.call('HSETNX', KEYS[14], u, d .. ' ' .. parent)
    redis.call('INCRBY', KEYS[3], -1)
  end
end
redis.call('SET', KEYS[12], started)
limitReached(lines)
return {granted, lines, started >= limit and 1 or 0}`);

// One try at a request to a host, for every process at once (seams/politeness.ts, HostTurns), on
// Redis's clock in microseconds: -1 when perHost slots are held, or a start granted is not yet
// under way; else the ms until the host's next start when it has not come; else 0, with a slot
// taken (until the lease runs out unless renewed) and, with a delay, the host held for `started`
// (or the lease, should the process die first).
const take = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local cap, delay, lease = tonumber(ARGV[1]), tonumber(ARGV[2]) * 1000, tonumber(ARGV[3])
if cap > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= cap then return -1 end
end
local next = redis.call('GET', KEYS[2])
if next == 'starting' then return -1 end
next = tonumber(next or '0')
if now < next then return math.ceil((next - now) / 1000) end
if delay > 0 then redis.call('SET', KEYS[2], 'starting', 'PX', lease) end
if cap > 0 then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + lease * 1000), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], 2 * lease)
end
return 0`);

// A start under way: the host's next start is delay on from now.
const started = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local delay = tonumber(ARGV[1]) * 1000
redis.call('SET', KEYS[1], string.format('%.0f', now + delay), 'PX', math.ceil(delay / 1000) + 1000)
return 0`);

// A process's lease renewed: its entries in flight (idle time reset) and its host slots (the lease from now, on Redis's clock).
const renew = script(`
local t = redis.call('TIME')
local expires = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[2]) * 1000)
local k = tonumber(ARGV[3])
if k > 0 then
  local claim = {'XCLAIM', KEYS[1], '${group}', ARGV[1], 0}
  for i = 4, 3 + k do claim[#claim + 1] = ARGV[i] end
  claim[#claim + 1] = 'JUSTID'
  redis.call(unpack(claim))
end
for i = 2, #KEYS do redis.call('ZADD', KEYS[i], 'XX', expires, ARGV[2 + k + i]) end
return 0`);

// A process that stops gives its pending entries back: each sent again as a new entry, at once
// (so the others read it now rather than after the lease), its grant of the page limit moved with it.
const release = script(`
local pending = redis.call('XPENDING', KEYS[2], '${group}', '-', '+', 100000, ARGV[1])
for _, p in ipairs(pending) do
  local id = p[1]
  local e = redis.call('XRANGE', KEYS[2], id, id)[1]
  redis.call('XACK', KEYS[2], '${group}', id)
  redis.call('XDEL', KEYS[2], id)
  if e then
    local again = redis.call('XADD', KEYS[2], '*', unpack(e[2]))
    if redis.call('SREM', KEYS[13], id) == 1 then redis.call('SADD', KEYS[13], again) end
  end
end
return #pending`);

// A robots.txt for every process at once (seams/robots.ts, RobotsFiles): the file when a process
// has stored it; else 1 when this process may load it (it holds the origin's lock); else 0.
const robotsFile = script(`
local file = redis.call('HGET', KEYS[1], ARGV[1])
if file then return file end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0`);

/** How often a process asks again for a host slot held by others, or for a robots.txt another process is loading. */
const pollMs = 10;

/** What seams/robots.ts keeps of a robots.txt answer (RobotsFile). */
interface StoredFile {
  status: number;
  body: string | Uint8Array;
  error?: string;
}

/** The options that make a crawl what it is: a process joining under the same name must agree. */
export type CrawlIdentity = Record<string, string | number | boolean | string[] | undefined>;

export interface RedisCrawlOptions {
  /** Hops left at the start: maxDepth, or Infinity. */
  maxDepth: number;
  /** At most this many fetches for the whole crawl, all processes together (each granted before it starts). Default: Infinity. */
  maxPages?: number;
  /** A process's entries unacknowledged this long are taken by the others (it is presumed dead). Default: redisDefaults.leaseMs. */
  leaseMs?: number;
}

/** One process's handle on a shared crawl. */
export class RedisCrawl {
  readonly consumer = `${hostname()}:${process.pid}`;
  readonly #keys: string[];
  readonly #leaseMs: number;
  readonly #maxDepth: number;
  readonly #maxPages: number;
  /** Every fetch the page limit allows has been granted: no new entry is read, only ones a dead process left. */
  #full = false;
  /** Epoch milliseconds when the crawl began: every process's times count from it. */
  t0 = 0;
  /** This process's host slots, for touch() to renew: token -> the host's key. */
  readonly #slots = new Map<string, string>();
  #tokens = 0;

  private constructor(
    readonly redis: Redis,
    readonly reader: Redis,
    readonly name: string,
    options: RedisCrawlOptions,
  ) {
    const k = (s: string) => `chancrawl:${name}:${s}`;
    // options, todo (the stream), n, fetched, results, reported, beyond, pages, fetches per process, entries taken from a silent process,
    // robots.txt files, fetches granted by the page limit, the entries holding a grant not yet reported, entries the limit refused
    this.#keys = [
      'options',
      'todo',
      'n',
      'fetched',
      'results',
      'reported',
      'beyond',
      'pages',
      'workers',
      'retaken',
      'robots',
      'started',
      'granted',
      'refused',
    ].map(k);
    this.#leaseMs = options.leaseMs ?? redisDefaults.leaseMs;
    this.#maxDepth = options.maxDepth;
    this.#maxPages = options.maxPages ?? Infinity;
  }

  /** Connects (two connections: one waits on the stream, the other sends), failing in one line if Redis cannot be reached. */
  static async connect(url: string, name: string, options: RedisCrawlOptions): Promise<RedisCrawl> {
    const open = async () => {
      let connected = false;
      const redis = new Redis(url, {
        lazyConnect: true,
        // A Redis that goes away mid-crawl is waited for (commands queue) for about a minute, then the crawl fails.
        retryStrategy: (times) => (connected && times < 60 ? Math.min(times * 200, 1000) : null),
        maxRetriesPerRequest: null,
      });
      let last: NodeJS.ErrnoException | undefined;
      redis.on('error', (error: NodeJS.ErrnoException) => (last = error)); // each failed command rejects with its own error
      try {
        await redis.connect();
      } catch (error) {
        redis.disconnect();
        throw new RedisCrawlError('input', `--redis ${url}: cannot connect: ${last?.code ?? last?.message ?? (error as Error).message}`);
      }
      connected = true;
      return redis;
    };
    return new RedisCrawl(await open(), await open(), name, options);
  }

  /** Starts the crawl at `start`, or joins it; a crawl of that name with other options is bad input. */
  async join(start: string, identity: CrawlIdentity): Promise<void> {
    const mine = JSON.stringify({ identity, t0: Date.now() });
    const old = (await begin(this.redis, this.#keys, [mine, start, this.#left(0)])) as string | null;
    const { identity: theirs, t0 } = JSON.parse(old ?? mine) as { identity: CrawlIdentity; t0: number };
    this.t0 = t0;
    for (const key of new Set([...Object.keys(identity), ...Object.keys(theirs)])) {
      const [a, b] = [JSON.stringify(identity[key]), JSON.stringify(theirs[key])];
      if (a !== b)
        throw new RedisCrawlError(
          'input',
          `--crawl ${this.name}: that crawl exists with ${key} ${b ?? 'unset'}, not ${a ?? 'unset'} (pick another name, or run it with the same options)`,
        );
    }
  }

  /** Hops left from depth `depth`, as the fetched map stores them. */
  #left(depth: number): number {
    return this.#maxDepth === Infinity ? unlimited : this.#maxDepth - depth;
  }

  /**
   * Up to `k` entries to fetch: new ones (waiting up to 100 ms for one), else ones another process
   * left pending past the lease. 'over' once n is 0: the crawl is done for every process. With a
   * page limit, only the entries granted a fetch, and the lines reported if that ended the crawl.
   */
  async receive(k: number): Promise<{ entries: Entry[]; lines: string[] } | 'over'> {
    const [, todo, n] = this.#keys as [string, string, string];
    if (!this.#full) {
      // ioredis answers [stream, entries] for one stream (RESP2 would nest it in one more array)
      const read = (await this.reader.call('XREADGROUP', 'GROUP', group, this.consumer, 'COUNT', k, 'BLOCK', 100, 'STREAMS', todo, '>').catch(lost)) as
        [string, [string, string[]][]] | [[string, [string, string[]][]]] | null;
      const fresh = read === null ? [] : typeof read[0] === 'string' ? (read[1] as [string, string[]][]) : (read as [[string, [string, string[]][]]])[0][1];
      if (fresh.length > 0) return this.#granted(fresh.map(entry));
    }
    const [[, claimed], [, owed]] = (await this.redis
      .multi()
      .call('XAUTOCLAIM', todo, group, this.consumer, this.#leaseMs, '0-0', 'COUNT', k)
      .get(n)
      .exec()
      .catch(lost)) as [[unknown, [string, [string, string[]][]]], [unknown, string | null]];
    if (owed === null) return lost(new Error('LOST'));
    const entries = claimed[1].filter(([, fields]) => fields !== null).map(entry);
    if (entries.length > 0) {
      await this.redis.incrby(this.#keys[9]!, entries.length).catch(lost);
      return this.#granted(entries);
    }
    if (Number(owed) === 0) return 'over';
    if (this.#full) await sleep(100); // the wait XREADGROUP's BLOCK gives otherwise
    return { entries: [], lines: [] };
  }

  /** The entries the page limit lets this process fetch (a re-expansion fetches nothing, so needs no grant). */
  async #granted(entries: Entry[]): Promise<{ entries: Entry[]; lines: string[] }> {
    const fetches = entries.filter((e) => e.first);
    if (this.#maxPages === Infinity || fetches.length === 0) return { entries, lines: [] };
    const [granted, lines, full] = (await reserve(this.redis, this.#keys, [this.#maxPages, ...fetches.flatMap((e) => [e.id, e.url, e.depth, e.parent])]).catch(
      lost,
    )) as [string[], string[], number];
    this.#full = full === 1;
    const ids = new Set(granted);
    return { entries: entries.filter((e) => !e.first || ids.has(e.id)), lines };
  }

  /** Gives this process's pending entries back to the crawl (the fetches it stopped), for the others to take now; returns how many. */
  async release(): Promise<number> {
    return Number(await release(this.redis, this.#keys, [this.consumer]).catch(lost));
  }

  /** Keeps this process's entries in flight, and its host slots, from being taken: resets their idle time. */
  async touch(ids: string[]): Promise<void> {
    if (ids.length === 0 && this.#slots.size === 0) return;
    const slots = [...this.#slots];
    await renew(
      this.redis,
      [this.#keys[1]!, ...slots.map(([, key]) => key)],
      [this.consumer, this.#leaseMs, ids.length, ...ids, ...slots.map(([token]) => token)],
    ).catch(lost);
  }

  /** The hosts' slots and next starts, shared by every process of the crawl (seams/politeness.ts, HostTurns). */
  readonly hosts = {
    take: async (host: string, perHost: number, delayMs: number): Promise<{ started?: () => Promise<void>; done: () => Promise<void> } | number> => {
      const [slots, next] = [`chancrawl:${this.name}:host:${host}:slots`, `chancrawl:${this.name}:host:${host}:next`];
      const token = `${this.consumer}:${++this.#tokens}`;
      const wait = Number(await take(this.redis, [slots, next], [perHost === Infinity ? 0 : perHost, delayMs, this.#leaseMs, token]).catch(lost));
      if (wait !== 0) return wait < 0 ? pollMs : wait;
      const begun = delayMs > 0 ? { started: async () => void (await started(this.redis, [next], [delayMs]).catch(lost)) } : {};
      if (perHost === Infinity) return { ...begun, done: async () => {} };
      this.#slots.set(token, slots);
      return {
        ...begun,
        done: async () => {
          this.#slots.delete(token);
          await this.redis.zrem(slots, token).catch(lost);
        },
      };
    },
  };

  /** The crawl's robots.txt files, each origin's loaded by one process (seams/robots.ts, RobotsFiles). */
  readonly robotsFiles = {
    shared: async (origin: string, load: () => Promise<StoredFile>, signal?: AbortSignal): Promise<StoredFile> => {
      const lock = `${this.#keys[10]!}:lock:${origin}`;
      for (;;) {
        signal?.throwIfAborted();
        const got = (await robotsFile(this.redis, [this.#keys[10]!, lock], [origin, this.consumer, 2 * this.#leaseMs]).catch(lost)) as string | number;
        if (typeof got === 'string') {
          const { status, body64, error } = JSON.parse(got) as { status: number; body64: string; error?: string };
          return { status, body: Buffer.from(body64, 'base64'), ...(error === undefined ? {} : { error }) };
        }
        if (got === 0) {
          await sleep(pollMs, signal);
          continue;
        }
        const file = await load();
        if (signal?.aborted) {
          await this.redis.del(lock).catch(lost); // a load cut short by this process's stop is no answer for the others
          signal.throwIfAborted();
        }
        const body64 = Buffer.from(typeof file.body === 'string' ? Buffer.from(file.body) : file.body).toString('base64');
        await this.redis
          .multi()
          .hset(this.#keys[10]!, origin, JSON.stringify({ status: file.status, body64, error: file.error }))
          .del(lock)
          .exec()
          .catch(lost);
        return file;
      }
    },
  };

  /** The coordinator's step for one finished entry; returns the lines this process reported. */
  async send(e: Entry, m: Message): Promise<string[]> {
    const args = [
      e.id,
      e.url,
      m.line ?? '',
      e.depth + 1,
      this.#left(e.depth + 1),
      m.urls.length,
      m.beyond.length,
      m.links === undefined ? '' : JSON.stringify(m.links),
      m.dropped.length,
      this.consumer,
      this.#maxPages === Infinity ? -1 : this.#maxPages,
      ...m.urls,
      ...m.beyond,
      ...m.dropped.flatMap((d) => [d.url, d.line]),
    ];
    const [lines] = (await send(this.redis, this.#keys, args).catch(lost)) as [string[], number];
    return lines;
  }

  /** A page's links kept for a re-expansion; undefined when it was not found. */
  async links(url: string): Promise<string[] | undefined> {
    const json = (await this.redis.hget(this.#keys[7]!, url).catch(lost)) as string | null;
    return json === null ? undefined : (JSON.parse(json) as string[]);
  }

  /** Every line the crawl has reported so far, in the order reported. */
  async *report(): AsyncGenerator<string> {
    let from = '-';
    for (;;) {
      const batch = (await this.redis.call('XRANGE', this.#keys[4]!, from, '+', 'COUNT', 1000).catch(lost)) as [string, string[]][];
      for (const [, fields] of batch) yield fields[1]!;
      if (batch.length < 1000) return;
      from = `(${batch.at(-1)![0]}`;
    }
  }

  /** The crawl's counts: reported, owed (n), queued, in flight, and per process its fetches and entries in flight. */
  async status(): Promise<CrawlStatus> {
    const [options, todo, n, , , reported, , , workers, retaken] = this.#keys as string[];
    const replies = (await this.redis
      .multi()
      .exists(options!)
      .get(n!)
      .scard(reported!)
      .xlen(todo!)
      .call('XPENDING', todo!, group)
      .hgetall(workers!)
      .get(retaken!)
      .exec()
      .catch(lost)) as [unknown, unknown][];
    const [exists, owed, done, length, pending, fetches, taken] = replies.map(([, v]) => v) as [
      number,
      string | null,
      number,
      number,
      [number, string, string, [string, string][] | null],
      Record<string, string>,
      string | null,
    ];
    if (exists === 0) throw new RedisCrawlError('input', `--crawl ${this.name}: no such crawl in Redis`);
    const inFlight = Number(pending?.[0] ?? 0);
    const perProcess: Record<string, { fetched: number; inFlight: number }> = {};
    for (const [consumer, count] of Object.entries(fetches)) perProcess[consumer] = { fetched: Number(count), inFlight: 0 };
    for (const [consumer, count] of pending?.[3] ?? []) (perProcess[consumer] ??= { fetched: 0, inFlight: 0 }).inFlight = Number(count);
    return { reported: done, owed: Number(owed ?? 0), queued: length - inFlight, inFlight, retaken: Number(taken ?? 0), over: Number(owed) === 0, perProcess };
  }

  close(): void {
    this.redis.disconnect();
    this.reader.disconnect();
  }
}

export interface CrawlStatus {
  /** URLs reported, once each. */
  reported: number;
  /** The coordinator's n: entries sent and not yet finished. */
  owed: number;
  queued: number;
  inFlight: number;
  /** Entries taken from a process silent past the lease (each fetched twice at most). */
  retaken: number;
  over: boolean;
  perProcess: Record<string, { fetched: number; inFlight: number }>;
}

function entry([id, fields]: [string, string[]]): Entry {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return { id, url: f.u!, depth: Number(f.d), first: f.f === '1', parent: f.p ?? '' };
}

/** A crawl whose keys vanished (Redis restarted without persistence, or they were deleted) cannot go on: say so. */
function lost(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  if (/LOST|NOGROUP/.test(message))
    throw new RedisCrawlError(
      'lost',
      'the crawl is gone from Redis (restarted without persistence, or its keys deleted): nothing more can be reported; start it again under a new name',
    );
  throw error instanceof Error ? error : new Error(message);
}

/** What went wrong with a shared crawl: bad input (Redis unreachable, options that disagree), or the crawl lost from Redis. */
export class RedisCrawlError extends Error {
  constructor(
    readonly kind: 'input' | 'lost',
    message: string,
  ) {
    super(message);
  }
}
