import { base64Url, utf8 } from './base64.js';

/** `url-signing.algorithm` of the server. */
export type SigningAlgorithm = 'hmac_sha256' | 'hmac_sha384' | 'hmac_sha512';

const hashes: Record<SigningAlgorithm, string> = { hmac_sha256: 'SHA-256', hmac_sha384: 'SHA-384', hmac_sha512: 'SHA-512' };

/** Splits an absolute URL or a path into origin ("" for a path), raw path and raw query (null without `?`). */
export function splitUrl(url: string): { origin: string; path: string; query: string | null } {
  let origin = '';
  let rest = url;
  const scheme = /^https?:\/\/[^/?#]*/i.exec(url);
  if (scheme) {
    origin = scheme[0];
    rest = url.slice(origin.length) || '/';
  }
  const mark = rest.indexOf('?');
  return mark < 0 ? { origin, path: rest, query: null } : { origin, path: rest.slice(0, mark), query: rest.slice(mark + 1) };
}

function keyOf(part: string): string {
  const i = part.indexOf('=');
  return i < 0 ? part : part.slice(0, i);
}

function valueOf(part: string): string {
  const i = part.indexOf('=');
  return i < 0 ? '' : part.slice(i + 1);
}

// Ordinal comparison of UTF-16 code units, as the server's StringComparer.Ordinal (not localeCompare).
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The signed string: the path as sent, then — only if there are parameters besides `s` — `?` and those parameters as sent
 * (percent-encoded), sorted by key then value (ordinal), joined with `&`.
 */
export function signingPayload(path: string, query: string | null): string {
  const parts = (query ?? '').split('&').filter((p) => p.length > 0 && keyOf(p) !== 's');
  parts.sort((a, b) => ordinal(keyOf(a), keyOf(b)) || ordinal(valueOf(a), valueOf(b)));
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

function subtle(): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available: use Node ≥ 20 or a browser in a secure context');
  return c.subtle;
}

/** HMAC of bytes with a UTF-8 secret. */
export async function hmac(secret: string, data: Uint8Array, hash: string): Promise<Uint8Array> {
  const key = await subtle().importKey('raw', utf8(secret) as BufferSource, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', key, data as BufferSource));
}

/** The signature `s` of a path and raw query: unpadded Base64url of the HMAC of the payload. */
export async function signature(secret: string, path: string, query: string | null, algorithm: SigningAlgorithm = 'hmac_sha256'): Promise<string> {
  const hash = hashes[algorithm];
  if (!hash) throw new TypeError(`unknown signing algorithm '${algorithm}'`);
  return base64Url(await hmac(secret, utf8(signingPayload(path, query)), hash));
}

/** Appends `s` to a path with its query, or to an absolute URL ("https://img.example.com/assets/a/-/content?w=10"). */
export async function signUrl(url: string, secret: string, algorithm: SigningAlgorithm = 'hmac_sha256'): Promise<string> {
  const { path, query } = splitUrl(url);
  const s = await signature(secret, path, query, algorithm);
  return `${url}${query === null ? '?' : '&'}s=${s}`;
}
