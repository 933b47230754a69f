// Lesson: the race condition. `n = n + 1` from many tasks at once loses updates when another task
// can run between the read of n and the write of n + 1; a Mutex around the two makes them one step.
//
// In Go the tasks are threads and the gap is any instant. In JavaScript one task runs at a time, so
// the gap exists only where the code awaits: here the await stands for any I/O between the read and
// the write (a fetch, a file read), which is exactly where our crawlers await.
import { Mutex, WaitGroup } from '../lib/runtime/sync.js';
import { conclude, runAsScript, say } from './script.js';

export interface RaceCounts {
  tasks: number;
  /** Increments each task makes. */
  each: number;
  /** tasks * each: what n would be if no update were lost. */
  expected: number;
  /** n at the end, and the updates lost, without a lock and with the Mutex. */
  unlocked: number;
  lostUnlocked: number;
  locked: number;
  lostLocked: number;
}

/** Starts `tasks` async tasks that each add 1 to a shared n `each` times, awaiting between read and write. */
export async function race(tasks = 50, each = 20): Promise<RaceCounts> {
  const unlocked = await increments(tasks, each, undefined);
  const locked = await increments(tasks, each, new Mutex());
  const expected = tasks * each;
  return { tasks, each, expected, unlocked, lostUnlocked: expected - unlocked, locked, lostLocked: expected - locked };
}

async function increments(tasks: number, each: number, mu: Mutex | undefined): Promise<number> {
  let n = 0;
  const done = new WaitGroup();
  for (let t = 0; t < tasks; t++) {
    done.add(1);
    void (async () => {
      for (let i = 0; i < each; i++) {
        await mu?.lock();
        const read = n;
        await io(); // another task runs here, reads the same n, and one of the two writes is lost
        n = read + 1;
        mu?.unlock();
      }
      done.done();
    })();
  }
  await done.wait();
  return n;
}

/** A stand-in for I/O: gives every other ready task its turn before this one goes on. */
const io = () => new Promise<void>((resolve) => setImmediate(resolve));

runAsScript(import.meta, async () => {
  const c = await race();
  say(`${c.tasks} async tasks each run \`n = n + 1\` ${c.each} times, with an await between reading n and writing n + 1.`);
  say(`Expected n = ${c.expected}.`);
  say(`  without a lock: n = ${c.unlocked}, ${c.lostUnlocked} updates lost`);
  say(`  with the Mutex: n = ${c.locked}, ${c.lostLocked} updates lost`);
  conclude(
    `Without a lock, ${c.lostUnlocked} of ${c.expected} increments were lost, because other tasks read the same n while one task was waiting between its read and its write.`,
    `With lib/runtime/sync.ts's Mutex held from the read to the write, ${c.lostLocked} were lost: no task can read n while another is part-way through its increment.`,
    `This is the lecture's race, in the one place JavaScript has it: across an await.`,
  );
});
