// lib/runtime/chan.ts: Go's channels on ts-chan, with senders past a full buffer waiting in line.
import { CloseOfClosedChannelError, SendOnClosedChannelError } from 'ts-chan';
import { describe, expect, it } from 'vitest';
import { makeChan, range } from '../lib/runtime/chan.js';
import { collect } from './support/fetchers.js';

describe('makeChan', () => {
  it('delivers every value once, in the order sent, when far more senders wait than the buffer holds', async () => {
    const ch = makeChan<number>(4);
    const n = 20_000;
    const sends = Array.from({ length: n }, (_, i) => ch.send(i));
    const received: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = ch.tryRecv() ?? (await ch.recv());
      received.push(r.value!);
    }
    await Promise.all(sends);
    expect(received).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(ch.tryRecv()).toBeUndefined();
  });

  it('a send waits until its value is in the buffer', async () => {
    const ch = makeChan<string>(1);
    await ch.send('a');
    let second = false;
    const pending = ch.send('b').then(() => (second = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    expect(ch.tryRecv()?.value).toBe('a');
    await pending;
    expect(ch.tryRecv()?.value).toBe('b');
  });

  it('close: the waiting senders that fit in the buffer have sent, the rest fail, and range reads what was sent', async () => {
    const ch = makeChan<number>(2);
    const sends = Array.from({ length: 5 }, (_, i) => ch.send(i));
    ch.close();
    const outcomes = await Promise.allSettled(sends);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    for (const o of outcomes.slice(2)) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(SendOnClosedChannelError);
    expect(await collect(range(ch))).toEqual([0, 1]);
    await expect(ch.send(9)).rejects.toBeInstanceOf(SendOnClosedChannelError);
  });

  it('range reads values moved in from the line after a receive made room', async () => {
    const ch = makeChan<number>(3);
    const sends = Array.from({ length: 10 }, (_, i) => ch.send(i));
    const all = Promise.all(sends).then(() => ch.close());
    expect(await collect(range(ch))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await all;
  });

  it('an unbuffered channel hands each value to a waiting receiver, as in Go', async () => {
    const ch = makeChan<string>();
    const received = ch.recv();
    await ch.send('x');
    expect((await received).value).toBe('x');
    const sent = ch.send('y');
    expect((await ch.recv()).value).toBe('y');
    await sent;
  });

  it('unbuffered: no send completes before a receiver takes its value, and the senders are served in order', async () => {
    const ch = makeChan<number>();
    const n = 20_000; // enough that an O(n) shift per receive would show
    let completed = 0;
    const sends = Array.from({ length: n }, (_, i) => ch.send(i).then(() => (completed += 1)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(0);
    expect(ch.tryRecv()?.value).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(1); // the one taken, and only it
    const received = [0];
    for (let i = 1; i < n; i++) received.push((ch.tryRecv() ?? (await ch.recv())).value!);
    await Promise.all(sends);
    expect(received).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(ch.tryRecv()).toBeUndefined();
  });

  it('unbuffered: close fails every waiting send, and the channel then reads as done', async () => {
    const ch = makeChan<string>();
    const sends = ['a', 'b', 'c'].map((v) => ch.send(v));
    ch.close();
    const outcomes = await Promise.allSettled(sends);
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(SendOnClosedChannelError);
    expect(ch.tryRecv()?.done).toBe(true);
  });

  it('unbuffered: an abandoned send is skipped, and the next sender in line is received', async () => {
    const ch = makeChan<number>();
    const stop = new AbortController();
    const first = ch.send(1, stop.signal);
    const second = ch.send(2);
    stop.abort(new Error('stopped'));
    await expect(first).rejects.toThrow('stopped');
    expect(ch.tryRecv()?.value).toBe(2);
    await second;
    expect(ch.tryRecv()).toBeUndefined();
    await expect(ch.send(3, stop.signal)).rejects.toThrow('stopped'); // already aborted: it never waits
  });

  it('a send with an abort signal can be abandoned while it waits', async () => {
    const ch = makeChan<number>(1);
    await ch.send(1);
    const stop = new AbortController();
    const waiting = ch.send(2, stop.signal);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    expect(ch.tryRecv()?.value).toBe(1);
    expect(ch.tryRecv()).toBeUndefined();
  });

  it('unbounded: a send never waits, and close leaves every value sent to be received', async () => {
    const ch = makeChan<number>(Infinity);
    const n = 5_000; // past the buffer, so most wait in line
    let done = 0;
    await Promise.all(Array.from({ length: n }, (_, i) => ch.send(i).then(() => (done += 1))));
    expect(done).toBe(n); // every send finished with nobody receiving
    ch.close();
    await expect(ch.send(-1)).rejects.toBeInstanceOf(SendOnClosedChannelError);
    expect(() => ch.close()).toThrow(CloseOfClosedChannelError);
    expect(await collect(range(ch))).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('unbounded: a receiver waiting on an empty channel gets the next value, and one waiting at close gets done', async () => {
    const ch = makeChan<string>(Infinity);
    const first = ch.recv();
    await ch.send('a');
    const got = await first;
    expect(got.value).toBe('a');
    expect(got.done).toBeFalsy();
    const last = ch.recv();
    ch.close();
    expect((await last).done).toBe(true);
  });
});
