// Starts the real Direkt server (the built src/Direkt) on a free loopback port with a temporary data folder, for the tests
// that talk to it over HTTP. DIREKT_DLL overrides where the built server is.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Starts Direkt with the shipped config/direkt.conf plus `extraConfiguration` (HOCON); returns { url, stop, log }. */
export async function startDirekt(extraConfiguration = '') {
  const dll = process.env.DIREKT_DLL ?? join(repositoryRoot, 'src/Direkt/bin/Release/net10.0/Direkt.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build the server first (dotnet build Direkt.sln -c Release)`);
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'direkt-js-'));
  const url = `http://127.0.0.1:${port}`;
  const config = `${readFileSync(join(repositoryRoot, 'config/direkt.conf'), 'utf8')}
http.port = ${port}
http.public-url = "${url}"
data-store.sqlite.path = ${JSON.stringify(join(data, 'direkt.db'))}
object-store.filesystem.root = ${JSON.stringify(join(data, 'objects'))}
${extraConfiguration}
`;
  writeFileSync(join(data, 'direkt.conf'), config);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DIREKT_')));
  const child = spawn('dotnet', [dll], { cwd: data, env: { ...env, DIREKT_CONFIG: join(data, 'direkt.conf') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((done) => child.once('exit', done));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(data, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`Direkt exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, stop, log: () => log };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`Direkt did not answer /health within 30 s:\n${log}`);
}
