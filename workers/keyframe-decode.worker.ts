/// <reference lib="webworker" />
/**
 * Keyframe image decoder, off the main thread: fetch, decode and resize with
 * `createImageBitmap`, then read the RGBA bytes through an OffscreenCanvas and hand them to the
 * page (transferred, not copied). One request at a time, in the order they arrive, so the page
 * can spread the uploads over frames as the layers come in.
 */
import type { DecodeReply, DecodeRequest } from '../engine/keyframes/decode-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

function surface(w: number, h: number): OffscreenCanvasRenderingContext2D {
  if (!canvas || canvas.width !== w || canvas.height !== h) {
    canvas = new OffscreenCanvas(w, h);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new Error('no 2D canvas in the decode worker');
  return ctx;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function decode(req: DecodeRequest): Promise<DecodeReply> {
  let blob: Blob;
  try {
    const res = await fetch(req.url);
    if (!res.ok) return { id: req.id, ok: false, message: `image missing (HTTP ${res.status})` };
    blob = await res.blob();
  } catch (e) {
    return { id: req.id, ok: false, message: `image could not be fetched (${describe(e)})` };
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      resizeWidth: req.width,
      resizeHeight: req.height,
      resizeQuality: 'high',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch (e) {
    return { id: req.id, ok: false, message: `not a decodable image (${describe(e)})` };
  }
  try {
    const c = surface(req.width, req.height);
    c.clearRect(0, 0, req.width, req.height);
    c.drawImage(bitmap, 0, 0, req.width, req.height);
    const pixels = c.getImageData(0, 0, req.width, req.height).data;
    return { id: req.id, ok: true, width: req.width, height: req.height, pixels: pixels.buffer as ArrayBuffer };
  } catch (e) {
    return { id: req.id, ok: false, message: `image could not be read (${describe(e)})` };
  } finally {
    bitmap.close();
  }
}

let queue: Promise<void> = Promise.resolve();

scope.onmessage = (ev: MessageEvent<DecodeRequest>) => {
  const req = ev.data;
  queue = queue.then(async () => {
    const reply = await decode(req);
    if (reply.ok) scope.postMessage(reply, [reply.pixels]);
    else scope.postMessage(reply);
  });
};
