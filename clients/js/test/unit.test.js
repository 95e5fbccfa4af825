import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import {
  Direkt, assetPath, decodeBlurhash, decodeThumbhash, encodePng, mintUploadToken, picture, pictureHtml, sizes, toDataUrl,
  transformationQuery, uploadTokenClaims, multipartBody,
} from '../dist/index.js';

test('transformation parameters go out in the table order, percent-encoded', () => {
  assert.equal(transformationQuery({ format: 'webp', w: 300, padColor: '#ff0000', pad: 4, enlarge: true, dpr: 2 }),
    'w=300&dpr=2&format=webp&pad=4&pad-c=%23ff0000&enlarge=true');
  assert.equal(transformationQuery({}), '');
  assert.throws(() => transformationQuery({ width: 3 }), /'width' is not a Direkt transformation parameter/);
});

test('asset paths follow the server grammar and selectors', () => {
  assert.equal(assetPath('/users/1/avatar'), '/assets/users/1/avatar/-/new/content');
  assert.equal(assetPath('/a', 'info', { entry: 4 }), '/assets/a/-/entry/4/info');
  assert.equal(assetPath('/a', 'link'), '/assets/a');
  for (const bad of ['a', '/a/', '/a//b', '/a/-/b', '/a/../b', '/a b', '/ä']) assert.throws(() => assetPath(bad), RangeError, bad);
});

test('srcset, sizes and <picture> sources for each format', async () => {
  const direkt = new Direkt({ baseUrl: 'https://img.example.com/' });
  assert.equal(await direkt.srcset('/p', [640, 320], { fit: 'crop', h: 200 }),
    'https://img.example.com/assets/p/-/new/content?w=320&h=200&fit=crop 320w, https://img.example.com/assets/p/-/new/content?w=640&h=200&fit=crop 640w');
  assert.equal(await direkt.densitySrcset('/p', { w: 100 }, [1, 2]),
    'https://img.example.com/assets/p/-/new/content?w=100 1x, https://img.example.com/assets/p/-/new/content?w=100&dpr=2 2x');
  assert.equal(sizes([{ media: '(min-width: 800px)', size: '50vw' }]), '(min-width: 800px) 50vw, 100vw');

  const p = await direkt.picture('/p', { widths: [200, 400], sizes: '50vw', alt: 'a "b"' });
  assert.deepEqual(p.sources.map((s) => s.type), ['image/avif', 'image/webp']);
  assert.match(p.sources[0].srcset, /w=200&format=avif 200w, .*w=400&format=avif 400w$/);
  assert.equal(p.img.src, 'https://img.example.com/assets/p/-/new/content?w=400&format=jpg');
  assert.match(p.img.srcset, /format=jpg 200w/);
  const html = pictureHtml(p);
  assert.match(html, /^<picture><source type="image\/avif" srcset="[^"]+&amp;format=avif 200w/);
  assert.match(html, /alt="a &quot;b&quot;"><\/picture>$/);
});

test('a signing key signs every URL the client builds', async () => {
  const { createHmac } = await import('node:crypto');
  const direkt = new Direkt({ baseUrl: 'https://img.example.com', signingKey: 'k', signingAlgorithm: 'hmac_sha384' });
  const expected = createHmac('sha384', 'k').update('/assets/a/-/new/content?format=webp&w=10').digest('base64url');
  assert.equal(await direkt.url('/a', { w: 10, format: 'webp' }),
    `https://img.example.com/assets/a/-/new/content?w=10&format=webp&s=${expected}`);
});

test('minted tokens carry the claims in the contract order and verify with the key', async () => {
  const claims = uploadTokenClaims({ path: '/users/1/**', expiresIn: 60, maxBytes: 100, types: ['image/png'], now: 1000 });
  assert.equal(JSON.stringify(claims), '{"sub":"/users/1/**","exp":1060,"iat":1000,"max_bytes":100,"types":["image/png"]}');
  const token = await mintUploadToken('secret', { path: '/a', now: 1000 });
  const [header, payload, sig] = token.split('.');
  assert.equal(Buffer.from(header, 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}');
  assert.equal(Buffer.from(payload, 'base64url').toString(), '{"sub":"/a","exp":1600,"iat":1000}');
  const { createHmac } = await import('node:crypto');
  assert.equal(sig, createHmac('sha256', 'secret').update(`${header}.${payload}`).digest('base64url'));
});

test('multipart bodies have the asset part and the metadata part the server reads', async () => {
  const { boundary, body } = await multipartBody(new Uint8Array([1, 2, 3]), 'a"b.png', { alt: 'x' });
  const text = Buffer.from(body).toString('latin1');
  assert.match(boundary, /^direkt-[0-9a-f]{24}$/);
  assert.ok(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{"alt":"x"}\r\n`));
  assert.ok(text.includes(`name="asset"; filename="a_b.png"\r\nContent-Type: application/octet-stream\r\n\r\n\x01\x02\x03\r\n--${boundary}--\r\n`));
});

test('PNG encoding: chunks, CRCs and the stored deflate stream read back to the pixels', () => {
  const rgba = new Uint8ClampedArray(3 * 2 * 4).map((_, i) => (i * 37) & 255);
  const png = Buffer.from(encodePng({ width: 3, height: 2, rgba }));
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  assert.equal(png.readUInt32BE(16), 3);
  assert.equal(png.readUInt32BE(20), 2);
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  assert.deepEqual([...raw.subarray(1, 13)], [...rgba.subarray(0, 12)]);
  assert.equal(raw[13], 0);
  assert.ok(toDataUrl({ width: 3, height: 2, rgba }).startsWith('data:image/png;base64,iVBORw0KGgo'));
});

test('BlurHash: a hash of one colour decodes to that colour everywhere', () => {
  // 1×1 components, maximum AC 0; DC = 0x2050a0 in base 83 (the hash of a flat #2050a0 image).
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';
  const dc = 0x2050a0;
  const hash = '00' + [3, 2, 1, 0].map((k) => digits[Math.floor(dc / 83 ** k) % 83]).join('');
  const p = decodeBlurhash(hash, 4, 3);
  assert.equal(p.rgba.length, 4 * 3 * 4);
  for (let i = 0; i < p.rgba.length; i += 4) assert.deepEqual([...p.rgba.subarray(i, i + 4)], [0x20, 0x50, 0xa0, 255]);
  assert.throws(() => decodeBlurhash('00abc'), /too short/);
  assert.throws(() => decodeBlurhash('L0000000'), /wrong length/);
});

test('ThumbHash: the aspect ratio and the average colour of the header', () => {
  // A landscape header (7 × 3 luminance components), no alpha, every AC nibble at 7.5 ≈ 0: a flat grey.
  const header24 = 32 | (31 << 6) | (31 << 12) | (0 << 18);
  const header16 = 3 | (0 << 3) | (0 << 9) | (1 << 15);
  const bytes = new Uint8Array([header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8, ...new Array(20).fill(0x88)]);
  const p = decodeThumbhash(bytes);
  assert.equal(p.width, 32);
  assert.equal(p.height, Math.round(32 / (7 / 3)));
  const [r, g, b, a] = p.rgba.subarray(0, 4);
  assert.ok(Math.abs(r - g) <= 8 && Math.abs(g - b) <= 8 && Math.abs(r - 128) <= 8, `grey, got ${r},${g},${b}`);
  assert.equal(a, 255);
  assert.deepEqual(decodeThumbhash(Buffer.from(bytes).toString('base64').replace(/=+$/, '')), p);
});
