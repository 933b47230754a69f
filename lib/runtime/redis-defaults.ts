// A shared crawl's defaults, apart from runtime/redis.ts so that --help reads them without loading ioredis.
export const redisDefaults = {
  /** Entries unacknowledged this long, by a process that has not renewed them, are taken by another. */
  leaseMs: 5000,
  /** Each process's fetches in flight when --concurrency is not given: a stream read needs a count. */
  concurrency: 16,
};
