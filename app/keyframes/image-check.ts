/**
 * A cheap structural check of an image file's bytes before a keyframe set is installed: a file
 * cut short (a truncated download, a show file edited by hand) has the right signature but no
 * proper end, and would only fail later, on stage, when the decoder reaches it. Pure; no decoding.
 */

/** Why `bytes` (of type `mime`) are not a complete image, or null when they look complete. */
export function imageProblem(bytes: Uint8Array, mime: string): string | null {
  switch (mime) {
    case 'image/png':
      return pngProblem(bytes);
    case 'image/jpeg':
      return jpegProblem(bytes);
    case 'image/webp':
      return webpProblem(bytes);
    case 'image/avif':
      return boxesProblem(bytes);
    default:
      return `not a PNG, JPEG, WebP or AVIF image (${mime})`;
  }
}

const IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function pngProblem(b: Uint8Array): string | null {
  if (b.length < 8 + 25 + IEND.length) return `truncated PNG (${b.length} bytes)`;
  const at = b.length - IEND.length;
  for (let i = 0; i < IEND.length; i++) if (b[at + i] !== IEND[i]) return `truncated or corrupt PNG (${b.length} bytes, no end chunk)`;
  return null;
}

/** The entropy-coded data after the last start-of-scan never holds FF D9 (FF is stuffed as FF 00): a complete file ends its scan with it. */
function jpegProblem(b: Uint8Array): string | null {
  let lastScan = -1;
  for (let i = 2; i + 1 < b.length; i++) if (b[i] === 0xff && b[i + 1] === 0xda) lastScan = i;
  if (lastScan < 0) return `truncated or corrupt JPEG (${b.length} bytes, no image data)`;
  for (let i = lastScan + 2; i + 1 < b.length; i++) if (b[i] === 0xff && b[i + 1] === 0xd9) return null;
  return `truncated JPEG (${b.length} bytes, no end marker)`;
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function webpProblem(b: Uint8Array): string | null {
  if (b.length < 20) return `truncated WebP (${b.length} bytes)`;
  const size = u32le(b, 4) + 8;
  if (size > b.length) return `truncated WebP (${b.length} of ${size} bytes)`;
  return null;
}

/** AVIF (ISO base media file): every top-level box must fit in the file, and there must be image data. */
function boxesProblem(b: Uint8Array): string | null {
  let at = 0;
  let media = false;
  while (at < b.length) {
    if (at + 8 > b.length) return `truncated AVIF (${b.length} bytes, a box header is cut)`;
    let size = u32be(b, at);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    if (size === 1) {
      if (at + 16 > b.length) return `truncated AVIF (${b.length} bytes, a box header is cut)`;
      size = u32be(b, at + 8) * 2 ** 32 + u32be(b, at + 12);
    } else if (size === 0) size = b.length - at;
    if (size < 8) return `corrupt AVIF (box "${type}" of ${size} bytes)`;
    if (at + size > b.length) return `truncated AVIF (${b.length} bytes, box "${type}" needs ${at + size})`;
    if (type === 'mdat') media = true;
    at += size;
  }
  return media ? null : `corrupt AVIF (${b.length} bytes, no image data)`;
}
