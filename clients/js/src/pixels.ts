import { base64 } from './base64.js';

/** RGBA pixels, 4 bytes per pixel, row by row. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

// zlib stream of stored (uncompressed) deflate blocks: placeholders are tiny, so compression buys nothing worth code.
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + data.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const part = data.subarray(b * 65535, Math.min(data.length, (b + 1) * 65535));
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = part.length & 255;
    out[o++] = part.length >> 8;
    out[o++] = ~part.length & 255;
    out[o++] = (~part.length >> 8) & 255;
    out.set(part, o);
    o += part.length;
  }
  let a = 1;
  let s = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    s = (s + a) % 65521;
  }
  new DataView(out.buffer).setUint32(o, ((s << 16) | a) >>> 0);
  return out;
}

/** Encodes pixels as a PNG (8-bit RGBA). */
export function encodePng(p: Pixels): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, p.width);
  view.setUint32(4, p.height);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = new Uint8Array(p.height * (1 + p.width * 4));
  for (let y = 0; y < p.height; y++) {
    raw[y * (1 + p.width * 4)] = 0; // filter: none
    raw.set(p.rgba.subarray(y * p.width * 4, (y + 1) * p.width * 4), y * (1 + p.width * 4) + 1);
  }
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** A `data:image/png;base64,…` URL of the pixels, usable as an `<img src>` or CSS background in any browser and in Node. */
export function toDataUrl(p: Pixels): string {
  return `data:image/png;base64,${base64(encodePng(p))}`;
}
