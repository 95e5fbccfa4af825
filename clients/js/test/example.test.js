// The JavaScript example of docs/clients.md, extracted and run against a started server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot, startDirekt } from './direkt-process.js';

test('the example of docs/clients.md runs against a real server', async () => {
  const page = readFileSync(join(repositoryRoot, 'docs/clients.md'), 'utf8');
  const example = /<!-- example: js -->\n```js\n([\s\S]*?)\n```/.exec(page)?.[1];
  assert.ok(example, 'docs/clients.md has the js example');
  assert.ok(example.split('\n').length <= 10, 'the example is at most 10 lines');
  const server = await startDirekt(`
url-signing { enabled = true, secret-key = "example-signing-key" }
auth.api-keys = ["example-api-key-0123456789"]
paths { "/**" { image.lqip = [thumbhash] } }
`);
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'direkt-example-')), 'example.mjs');
    const client = pathToFileURL(join(repositoryRoot, 'clients/js/dist/index.js')).href;
    writeFileSync(file, example.replace("from '@direkt/client'", `from '${client}'`));
    const { stdout } = await promisify(execFile)('node', [file], {
      cwd: repositoryRoot,
      env: { ...process.env, IMAGES_URL: server.url, URL_SIGNING_SECRET_KEY: 'example-signing-key', IMAGES_API_KEY: 'example-api-key-0123456789' },
    });
    assert.match(stdout, /^<picture><source type="image\/avif" srcset="http:\/\/127\.0\.0\.1:\d+\/assets\/users\/123\/avatar\/-\/new\/content\?w=160&amp;format=avif&amp;s=/);
    assert.match(stdout, /alt="Ada Lovelace"><\/picture> data:image\/png;base64,iVBORw0K /);
    const url = stdout.trim().split(' ').at(-1);
    const image = await fetch(url);
    assert.equal(image.status, 200, url);
    assert.equal(image.headers.get('content-type'), 'image/webp');
  } finally {
    await server.stop();
  }
});
