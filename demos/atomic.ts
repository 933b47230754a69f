// Lesson: atomicity. An action is atomic when no other task can see it half done.
//
// In JavaScript, code between two awaits runs to the end before any other task on the same thread
// starts, so `n = n + 1` with no await inside is atomic, and a check-and-set with no await inside
// needs no lock. That stops in two places: across an await (race.ts), and across real threads,
// where two CPUs run `n = n + 1` at the same instant: worker_threads sharing a SharedArrayBuffer.
// There `Atomics.add` is the atomic increment, as sync/atomic's AddInt32 is in Go.
import { Worker } from 'node:worker_threads';
import { WaitGroup } from '../lib/runtime/sync.js';
import { conclude, runAsScript, say } from './script.js';

export interface AtomicCounts {
  /** Async tasks on one thread, each doing `n = n + 1` with no await inside, then awaiting between increments. */
  tasks: number;
  taskEach: number;
  taskExpected: number;
  taskLost: number;
  /** The same tasks with an await between the read and the write. */
  splitLost: number;
  /** Threads incrementing one Int32 in shared memory for threadMs: increments made, and lost. */
  threads: number;
  threadMs: number;
  plainMade: number;
  plainLost: number;
  atomicsMade: number;
  atomicsLost: number;
}

export async function atomic(tasks = 100, taskEach = 100, threads = 2, threadMs = 100): Promise<AtomicCounts> {
  const taskExpected = tasks * taskEach;
  const taskLost = taskExpected - (await onOneThread(tasks, taskEach, false));
  const splitLost = taskExpected - (await onOneThread(tasks, taskEach, true));
  const plain = await onThreads(threads, threadMs, 'plain');
  const atomics = await onThreads(threads, threadMs, 'atomics');
  return {
    tasks,
    taskEach,
    taskExpected,
    taskLost,
    splitLost,
    threads,
    threadMs,
    plainMade: plain.made,
    plainLost: plain.made - plain.counted,
    atomicsMade: atomics.made,
    atomicsLost: atomics.made - atomics.counted,
  };
}

async function onOneThread(tasks: number, each: number, split: boolean): Promise<number> {
  let n = 0;
  const done = new WaitGroup();
  for (let t = 0; t < tasks; t++) {
    done.add(1);
    void (async () => {
      for (let i = 0; i < each; i++) {
        if (split) {
          const read = n;
          await turn();
          n = read + 1;
        } else {
          n = n + 1; // read and write with nothing between: no other task can run here
          await turn(); // other tasks run here, between whole increments
        }
      }
      done.done();
    })();
  }
  await done.wait();
  return n;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// The threads' code, as plain JavaScript: an eval'd worker runs as CommonJS. Every thread waits at
// a gate until all have started, then increments until told to stop, for a set time rather than a
// set count: on a busy machine a short count can finish before the other thread is even scheduled.
const threadCode = `
const { workerData, parentPort } = require('node:worker_threads');
const { counter, gate, mode } = workerData;
const n = new Int32Array(counter);
const g = new Int32Array(gate);
parentPort.postMessage('ready');
Atomics.wait(g, 0, 0);
let mine = 0;
while (Atomics.load(g, 1) === 0) {
  if (mode === 'atomics') for (let i = 0; i < 1000; i++) Atomics.add(n, 0, 1);
  else for (let i = 0; i < 1000; i++) n[0] = n[0] + 1;
  mine += 1000;
}
parentPort.postMessage(mine);
`;

/** Runs `threads` threads incrementing one shared Int32 for `ms`; returns the increments made and the counter's value. */
async function onThreads(threads: number, ms: number, mode: 'plain' | 'atomics'): Promise<{ made: number; counted: number }> {
  const counter = new SharedArrayBuffer(4);
  const gate = new SharedArrayBuffer(8); // [0]: go, [1]: stop
  const g = new Int32Array(gate);
  const workers = Array.from({ length: threads }, () => new Worker(threadCode, { eval: true, workerData: { counter, gate, mode } }));
  const messages = workers.map((w) => {
    const got: unknown[] = [];
    return new Promise<number>((resolve, reject) => {
      w.on('message', (m: unknown) => got.push(m));
      w.once('error', reject);
      w.once('exit', (code) => (code === 0 && typeof got[1] === 'number' ? resolve(got[1]) : reject(new Error(`worker exited with ${code}`))));
    });
  });
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  Atomics.store(g, 0, 1);
  Atomics.notify(g, 0);
  await new Promise((resolve) => setTimeout(resolve, ms));
  Atomics.store(g, 1, 1);
  const made = (await Promise.all(messages)).reduce((a, b) => a + b, 0);
  return { made, counted: Atomics.load(new Int32Array(counter), 0) };
}

runAsScript(import.meta, async () => {
  const c = await atomic();
  say(`One thread, ${c.tasks} async tasks, ${c.taskEach} increments each (expected ${c.taskExpected}):`);
  say(`  n = n + 1 with no await inside:          ${c.taskLost} lost`);
  say(`  an await between the read and the write:  ${c.splitLost} lost`);
  say(`${c.threads} worker threads sharing one Int32 in a SharedArrayBuffer, incrementing it for ${c.threadMs} ms:`);
  say(`  n[0] = n[0] + 1:       ${c.plainMade} increments, ${c.plainLost} lost`);
  say(`  Atomics.add(n, 0, 1):  ${c.atomicsMade} increments, ${c.atomicsLost} lost`);
  conclude(
    `On one thread, \`n = n + 1\` with no await inside lost ${c.taskLost} of ${c.taskExpected} updates, because nothing else runs until the task awaits; put an await between the read and the write and ${c.splitLost} were lost.`,
    `With ${c.threads} real threads on shared memory, the plain increment lost ${c.plainLost} of ${c.plainMade} updates, and Atomics.add lost ${c.atomicsLost} of ${c.atomicsMade}.`,
    `So a check-and-set with no await inside needs no lock in our crawlers, and real threads need atomic operations or a lock, as in Go.`,
  );
});
