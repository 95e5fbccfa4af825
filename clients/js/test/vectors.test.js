// The signing and token vectors shared with the server (tests/vectors, checked by the server's own tests too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signUrl, signature, signingPayload, signUploadToken } from '../dist/index.js';
import { repositoryRoot } from './direkt-process.js';

function vectors(name) {
  const file = join(repositoryRoot, 'tests/vectors', name);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

test('the worked example of docs/api.md', async () => {
  assert.equal(await signUrl('/assets/a/-/content?w=10&format=webp', 'k'),
    '/assets/a/-/content?w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE');
  assert.equal(await signUrl('https://img.example.com/assets/a/-/content?w=10&format=webp', 'k'),
    'https://img.example.com/assets/a/-/content?w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE');
});

test('url-signing.json: payload, signature and signed URL of every vector', async (t) => {
  const file = vectors('url-signing.json');
  if (!file) return t.skip('tests/vectors/url-signing.json is not in this tree');
  assert.ok(file.vectors.length > 0);
  for (const v of file.vectors) {
    assert.equal(signingPayload(v.path, v.query), v.payload, v.payload);
    assert.equal(await signature(v.secret, v.path, v.query, v.algorithm), v.signature, v.payload);
    const url = v.query === null ? v.path : `${v.path}?${v.query}`;
    assert.equal(await signUrl(url, v.secret, v.algorithm), v.signed);
  }
});

test('upload-tokens.json: minting reproduces every valid token byte for byte', async (t) => {
  const file = vectors('upload-tokens.json');
  if (!file) return t.skip('tests/vectors/upload-tokens.json is not in this tree');
  assert.ok(file.valid.length > 0);
  for (const v of file.valid) {
    assert.equal(JSON.stringify(v.claims), v.payload, v.name);
    assert.equal(await signUploadToken(v.key, v.claims), v.token, v.name);
  }
});
