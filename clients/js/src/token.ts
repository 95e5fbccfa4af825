import { base64Url, utf8 } from './base64.js';
import { hmac } from './signing.js';

/** What an upload token allows (contracts: a JWT with HS256 under `auth.upload-tokens.secret-key`). */
export interface UploadTokenClaims {
  /** An asset path ("/users/123/avatar") or a prefix pattern ending in "/**" ("/users/123/**"). */
  sub: string;
  /** Expiry, Unix seconds. */
  exp: number;
  /** Issued at, Unix seconds. */
  iat?: number;
  /** Upload size limit in bytes (413 past it). */
  max_bytes?: number;
  /** Allowed sniffed content types (415 otherwise), e.g. ["image/jpeg", "image/png"]. */
  types?: string[];
}

export interface MintOptions {
  /** The asset path or "/prefix/**" pattern the token covers. */
  path: string;
  /** Lifetime in seconds (default 600). */
  expiresIn?: number;
  maxBytes?: number;
  types?: string[];
  /** The current time in Unix seconds (default: now). */
  now?: number;
}

/** The claims object in the order the contract lists them (sub, exp, iat, max_bytes, types). */
export function uploadTokenClaims(options: MintOptions): UploadTokenClaims {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims: UploadTokenClaims = { sub: options.path, exp: now + (options.expiresIn ?? 600), iat: now };
  if (options.maxBytes !== undefined) claims.max_bytes = options.maxBytes;
  if (options.types !== undefined && options.types.length > 0) claims.types = [...options.types];
  return claims;
}

/** Signs claims as a compact JWT (HS256). For back ends only: the secret must never reach a browser. */
export async function signUploadToken(secret: string, claims: UploadTokenClaims): Promise<string> {
  if (!secret) throw new TypeError('the upload-token secret key is empty');
  const header = base64Url(utf8(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const payload = base64Url(utf8(JSON.stringify(claims)));
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${base64Url(await hmac(secret, utf8(signingInput), 'SHA-256'))}`;
}

/** Mints an upload token for a path: `mintUploadToken(secret, { path: '/users/123/**', expiresIn: 600, maxBytes: 5_000_000 })`. */
export function mintUploadToken(secret: string, options: MintOptions): Promise<string> {
  return signUploadToken(secret, uploadTokenClaims(options));
}
