// A body as its Content-Encoding says to read it: gzip, deflate or br undone as the chunks arrive.
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** The codings `decompressed` undoes, for the Accept-Encoding header. */
export const acceptEncoding = 'gzip, deflate, br';

/**
 * The chunks of `body` decompressed as `encoding` says: gzip (x-gzip), br, or deflate, which is
 * zlib-wrapped (RFC 9110) or raw as some servers send it, told apart by its first two bytes (a
 * zlib header is a multiple of 31). identity, none or an unknown coding: the chunks as they are.
 * Never reads ahead of its consumer, so a decompression bomb stops where its reader stops.
 */
export async function* decompressed(body: AsyncIterable<Buffer>, encoding: string | undefined): AsyncGenerator<Buffer> {
  const coding = encoding?.trim().toLowerCase();
  if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') return yield* body;
  const source = body[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  for (let next; head.length < 2 && !(next = await source.next()).done;) head = Buffer.concat([head, next.value]);
  if (head.length === 0) return;
  const zlibWrapped = head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
  const decoder = coding === 'br' ? createBrotliDecompress() : coding === 'deflate' ? (zlibWrapped ? createInflate() : createInflateRaw()) : createGunzip();
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield head;
    for (let next; !(next = await source.next()).done;) yield next.value;
  };
  pipeline(Readable.from(rest(), { objectMode: false }), decoder, () => {}); // an error reaches the reader through `decoder`
  yield* decoder as AsyncIterable<Buffer>;
}
