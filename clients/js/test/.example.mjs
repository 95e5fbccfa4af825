import { Direkt, decodeThumbhash, pictureHtml, toDataUrl } from '../dist/index.js';
import { readFile } from 'node:fs/promises';

const direkt = new Direkt({ baseUrl: process.env.DIREKT_URL, signingKey: process.env.URL_SIGNING_SECRET_KEY, apiKey: process.env.DIREKT_API_KEY });
const stored = await direkt.upload('/users/123/avatar', await readFile('tests/fixtures/avatar.jpg'), { metadata: { alt: 'Ada Lovelace' } });
const picture = await direkt.picture('/users/123/avatar', { widths: [160, 320], sizes: '(min-width: 800px) 50vw, 100vw', alt: stored.alt });
const info = await direkt.info('/users/123/avatar');
const placeholder = toDataUrl(decodeThumbhash(info.variants[0].lqip.thumbhash));
console.log(pictureHtml(picture), placeholder.slice(0, 30), await direkt.url('/users/123/avatar', { w: 256, format: 'webp' }));