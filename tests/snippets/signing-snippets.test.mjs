// Runs every signing snippet of docs/signing.md against the shared URL-signing vectors (tests/vectors/url-signing.json).
// Python, Node and shell always; PHP and Ruby must be installed (scripts/test installs them from Debian); Go only where
// `go` is installed (skipped, and said so, elsewhere). Without the vectors file, the cases below are checked against the
// server's own `Direkt sign` command (the built src/Direkt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const page = readFileSync(join(root, 'docs/signing.md'), 'utf8');

function snippet(language) {
  const match = new RegExp(`<!-- snippet: ${language} -->\\n\`\`\`[a-z]+\\n([\\s\\S]*?)\\n\`\`\``).exec(page);
  assert.ok(match, `docs/signing.md has a ${language} snippet`);
  return `${match[1]}\n`;
}

function installed(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function serverCases() {
  const dll = process.env.DIREKT_DLL ?? join(root, 'src/Direkt/bin/Release/net10.0/Direkt.dll');
  const groups = [
    ['k', 'hmac_sha256', ['/assets/a/-/content?w=10&format=webp', '/assets/a/-/content', '/assets/a?b=2&a=1&a=0&flag']],
    ['another secret', 'hmac_sha384', ['/assets/users/1/avatar/-/content?pad-c=%23ff0000&w=3&Phone=ios&phone=android']],
    ['clé-ü', 'hmac_sha512', ['/assets/a/-/info?limit=-1&label%3Alimit=x&tag=b&tag=a']],
  ];
  return groups.flatMap(([secret, algorithm, urls]) => {
    const env = { ...process.env, URL_SIGNING_SECRET_KEY: secret, DIREKT_URL_SIGNING__ALGORITHM: algorithm };
    const signed = execFileSync('dotnet', [dll, 'sign', ...urls], { env, encoding: 'utf8' }).trim().split('\n');
    return urls.map((url, i) => ({ secret, algorithm, url, signed: signed[i] }));
  });
}

function cases() {
  const file = join(root, 'tests/vectors/url-signing.json');
  if (!existsSync(file)) return serverCases();
  return JSON.parse(readFileSync(file, 'utf8')).vectors.map((v) => ({
    secret: v.secret, algorithm: v.algorithm, url: v.query === null ? v.path : `${v.path}?${v.query}`, signed: v.signed,
  }));
}

const all = cases();
const work = mkdtempSync(join(tmpdir(), 'direkt-snippets-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const languages = [
  { name: 'python', file: 'sign.py', command: 'python3', args: (f) => [f] },
  { name: 'node', file: 'sign.mjs', command: 'node', args: (f) => [f] },
  { name: 'shell', file: 'sign.sh', command: 'bash', args: (f) => [f], needs: ['openssl'] },
  { name: 'php', file: 'sign.php', command: 'php', args: (f) => [f] },
  { name: 'ruby', file: 'sign.rb', command: 'ruby', args: (f) => [f] },
  { name: 'go', file: 'sign.go', command: 'go', optional: true },
];

for (const language of languages) {
  test(`the ${language.name} snippet signs every vector as the server does`, async (t) => {
    const missing = [language.command, ...(language.needs ?? [])].filter((c) => !installed(c));
    if (missing.length > 0 && language.optional) {
      console.log(`SKIPPED: the ${language.name} snippet (${missing.join(', ')} not installed)`);
      return t.skip(`${missing.join(', ')} not installed`);
    }
    assert.deepEqual(missing, [], `${missing.join(', ')} must be installed (scripts/test installs php-cli and ruby from Debian)`);
    assert.ok(all.length >= 3);
    const file = join(work, language.file);
    writeFileSync(file, snippet(language.name));
    let run = (c) => execFileSync(language.command, [...language.args(file), c.secret, c.algorithm, c.url], { encoding: 'utf8' });
    if (language.name === 'go') {
      const binary = join(work, 'sign-go');
      execFileSync('go', ['build', '-o', binary, file], { cwd: work, env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'off' } });
      run = (c) => execFileSync(binary, [c.secret, c.algorithm, c.url], { encoding: 'utf8' });
    }
    for (const c of all) assert.equal(run(c).trim(), c.signed, `${c.algorithm} ${c.url}`);
  });
}
