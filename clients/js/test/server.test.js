// The client against a running Direkt (the real server process): signed URLs, uploads with progress, info, link, variants,
// placeholders, and the parameter list against the server's OpenAPI document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Direkt, DirektError, PARAMETERS, decodeBlurhash, decodeThumbhash, encodePng, mintUploadToken } from '../dist/index.js';
import { startDirekt } from './direkt-process.js';

const signingKey = 'js-client-signing-secret';
const apiKey = 'js-client-api-key-0123456789';
const tokenKey = 'js-client-upload-token-secret-0123456789';
let server;
let direkt;

before(async () => {
  server = await startDirekt(`
url-signing { enabled = true, secret-key = "${signingKey}" }
auth.api-keys = ["${apiKey}"]
auth.upload-tokens.secret-key = "${tokenKey}"
paths { "/**" { image.lqip = [blurhash, thumbhash] } }
`);
  direkt = new Direkt({ baseUrl: server.url, signingKey, apiKey });
});

after(async () => server?.stop());

/** A PNG of width × height whose left half is `left` and right half `right` (RGB). */
function png(width, height, left, right = left) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgba.set([...(x < width / 2 ? left : right), 255], 4 * (y * width + x));
  }
  return encodePng({ width, height, rgba });
}

const near = (actual, expected, tolerance) => actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);

test('every transformation parameter of the server is in the client (and no other)', async () => {
  const document = await (await fetch(`${server.url}/openapi/v1.json`)).json();
  const fetchOperation = document.paths['/assets/{rest}'].get;
  const serverNames = fetchOperation.parameters.map((p) => p.name).filter((n) => n !== 'limit' && n !== 's');
  const clientNames = PARAMETERS.map(([name]) => name);
  assert.ok(serverNames.includes('w') && serverNames.includes('format'));
  for (const name of serverNames) assert.ok(clientNames.includes(name), `the server takes '${name}'; the client lacks it`);
  for (const name of clientNames) assert.ok(serverNames.includes(name), `the client sends '${name}'; the server has no such parameter`);
});

test('upload with progress, then info, link, the original bytes and a variant, all through signed URLs', async () => {
  const bytes = png(64, 48, [200, 30, 30]);
  const progress = [];
  const stored = await direkt.upload('/js/picture', bytes, { metadata: { alt: 'A red field', tags: ['js'] }, onProgress: (p) => progress.push(p) });
  assert.equal(stored.path, '/js/picture');
  assert.equal(stored.alt, 'A red field');
  assert.ok(progress.length >= 1);
  assert.equal(progress.at(-1).loaded, progress.at(-1).total);
  assert.ok(progress.at(-1).total > bytes.length);

  const info = await direkt.info('/js/picture', { entry: stored.entryId });
  assert.deepEqual(info.variants[0].attributes.width, 64);
  assert.deepEqual(info.tags, ['js']);

  const original = await fetch(await direkt.url('/js/picture'));
  assert.equal(original.status, 200);
  assert.deepEqual(new Uint8Array(await original.arrayBuffer()), bytes);

  const variantUrl = await direkt.url('/js/picture', { w: 32, format: 'webp' });
  const variant = await fetch(variantUrl);
  assert.equal(variant.status, 200, variantUrl);
  assert.equal(variant.headers.get('content-type'), 'image/webp');
  const webp = Buffer.from(await variant.arrayBuffer());
  assert.equal(webp.toString('latin1', 0, 4), 'RIFF');
  const made = (await direkt.info('/js/picture')).variants.find((v) => !v.isOriginalVariant);
  assert.deepEqual([made.attributes.width, made.attributes.height, made.attributes.format], [32, 24, 'webp']);

  // The server signs links itself: the URL it returns can be followed as is.
  const link = await direkt.link('/js/picture', { w: 16 });
  assert.equal(link.alt, 'A red field');
  const followed = await fetch(link.url);
  assert.equal(followed.status, 200, link.url);
});

test('without the signature, or with a changed parameter, the server refuses: a DirektError with the problem', async () => {
  await direkt.upload('/js/guarded', png(8, 8, [0, 0, 0]));
  const unsigned = new Direkt({ baseUrl: server.url });
  await assert.rejects(unsigned.info('/js/guarded'), (e) => e instanceof DirektError && e.status === 403 && e.type === 'urn:direkt:problem:forbidden');
  const signed = await direkt.url('/js/guarded', { w: 4 });
  assert.equal((await fetch(signed.replace('w=4', 'w=5'))).status, 403);
  assert.equal((await fetch(signed)).status, 200);
  const noKey = new Direkt({ baseUrl: server.url, signingKey });
  await assert.rejects(noKey.upload('/js/other', png(4, 4, [1, 2, 3])), (e) => e instanceof DirektError && e.status === 401);
});

test('placeholders from the server decode to the picture: BlurHash and ThumbHash, from info and from headers', async () => {
  const red = [220, 20, 20];
  const blue = [20, 20, 220];
  await direkt.upload('/js/halves', png(80, 40, red, blue));
  const lqip = (await direkt.info('/js/halves')).variants[0].lqip;
  assert.ok(lqip?.blurhash && lqip?.thumbhash, JSON.stringify(lqip));

  const blur = decodeBlurhash(lqip.blurhash, 32, 16);
  const thumb = decodeThumbhash(lqip.thumbhash);
  assert.equal(thumb.width, 32);
  // ThumbHash keeps the aspect ratio approximately (as luminance components: 7 × 4 for 2:1).
  assert.ok(thumb.height >= 15 && thumb.height <= 19, `ThumbHash keeps about the 2:1 aspect, got ${thumb.width}×${thumb.height}`);
  for (const p of [blur, thumb]) {
    const at = (x, y) => [...p.rgba.subarray(4 * (y * p.width + x), 4 * (y * p.width + x) + 3)];
    const left = at(1, Math.floor(p.height / 2));
    const right = at(p.width - 2, Math.floor(p.height / 2));
    assert.ok(left[0] > left[2] + 80, `left is red, got ${left}`);
    assert.ok(right[2] > right[0] + 80, `right is blue, got ${right}`);
  }

  const content = await fetch(await direkt.url('/js/halves'));
  assert.equal(content.headers.get('direkt-lqip-blurhash'), lqip.blurhash);
  assert.equal(content.headers.get('direkt-lqip-thumbhash'), lqip.thumbhash);

  await direkt.upload('/js/flat', png(16, 16, [40, 120, 200]));
  const flat = (await direkt.info('/js/flat')).variants[0].lqip;
  // BlurHash's basis (cos πix/w, as the reference) leaves AC terms even for a flat image; with punch 0 only the DC is left.
  const flatBlur = decodeBlurhash(flat.blurhash, 8, 8, 0);
  assert.ok(near([...flatBlur.rgba.subarray(0, 3)], [40, 120, 200], 1), `${flatBlur.rgba.subarray(0, 3)}`);
  const flatThumb = decodeThumbhash(flat.thumbhash);
  assert.ok(near([...flatThumb.rgba.subarray(0, 3)], [40, 120, 200], 12), `${flatThumb.rgba.subarray(0, 3)}`);
});

test('upload tokens: minted by the client or by the server, each problem a DirektError with its status', async () => {
  const browser = new Direkt({ baseUrl: server.url }); // no key at all, as in a browser
  const token = await mintUploadToken(tokenKey, { path: '/js/tokens/**', expiresIn: 60, maxBytes: 10_000, types: ['image/png'] });
  const image = png(8, 8, [9, 9, 9]);

  const stored = await browser.upload('/js/tokens/a', image, { token });
  assert.equal(stored.path, '/js/tokens/a');
  const rejects = async (promise, status) => assert.rejects(promise, (e) => e instanceof DirektError && e.status === status, `expected ${status}`);
  await rejects(browser.upload('/js/elsewhere', image, { token }), 403);
  await rejects(browser.upload('/js/tokens/big', png(80, 80, [1, 2, 3], [200, 100, 0]).subarray(0) && new Uint8Array(20_000), { token }), 413);
  const jpegOnly = await mintUploadToken(tokenKey, { path: '/js/tokens/**', types: ['image/jpeg'] });
  await rejects(browser.upload('/js/tokens/b', image, { token: jpegOnly }), 415);
  const expired = await mintUploadToken(tokenKey, { path: '/js/tokens/**', expiresIn: 1, now: Math.floor(Date.now() / 1000) - 3600 });
  await rejects(browser.upload('/js/tokens/c', image, { token: expired }), 401);
  await rejects(browser.upload('/js/tokens/d', image, { token: await mintUploadToken('another-secret-0123456789abcdef', { path: '/js/tokens/**' }) }), 401);

  const issued = await direkt.createUploadToken({ path: '/js/issued', expiresIn: 120 });
  assert.ok(Date.parse(issued.expiresAt) > Date.now());
  assert.equal((await browser.upload('/js/issued', image, { token: issued.token })).path, '/js/issued');
});
