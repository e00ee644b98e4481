/**
 * OSC end-to-end helpers: the bridge as a child process, and Debian liblo-tools (`oscsend`,
 * `oscdump`) as the third-party OSC client.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { ROOT, startServer, type TestServer } from './harness.ts';

/** Throws a message naming the package when the liblo tools are missing. */
export function requireLiblo(): void {
  for (const tool of ['oscsend', 'oscdump']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
    if (r.status !== 0) throw new Error(`OSC end-to-end tests need "${tool}" from the Debian package liblo-tools: apt-get install liblo-tools`);
  }
}

export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export async function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

export interface BridgeProcess {
  child: ChildProcess;
  ports: { oscPort: number; wsPort: number; httpPort: number };
  output: string[];
  stop: () => Promise<void>;
}

/** Start `bridge/main.ts` in a child Node (through tsx), resolved once it prints its ready line. */
export async function startBridgeProcess(args: string[]): Promise<BridgeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bridge/main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const ports = await new Promise<BridgeProcess['ports']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start:\n${output.join('')}`)), 30_000);
    const onData = (d: Buffer) => {
      output.push(String(d));
      const m = /bridge ready (\{.*\})/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => output.push(String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code}:\n${output.join('')}`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return { child, ports, output, stop };
}

/** `oscsend 127.0.0.1 <port> <path> <types> <args...>`, synchronously. */
export function oscsend(port: number, path: string, types = '', ...args: (string | number)[]): void {
  const r = spawnSync('oscsend', ['127.0.0.1', String(port), path, ...(types ? [types, ...args.map(String)] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oscsend ${path} failed: ${r.stderr}`);
}

export interface Dump {
  lines: string[];
  stop: () => void;
}

/** `oscdump -L <port>`: every received message as a line "<timetag> <path> <types> <args>". */
export async function oscdump(port: number): Promise<Dump> {
  const child = spawn('oscdump', ['-L', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let rest = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (rest + String(d)).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
  });
  // give it a moment to bind
  await new Promise((r) => setTimeout(r, 300));
  return { lines, stop: () => child.kill('SIGTERM') };
}

export async function stats(httpPort: number): Promise<Record<string, number>> {
  return (await fetch(`http://127.0.0.1:${httpPort}/?STATS`)).json() as Promise<Record<string, number>>;
}

/**
 * The app served for these tests (the built app: it never reloads the page, and these tests keep
 * state in the page across steps: bridge connection, parameter values).
 */
export async function startStableServer(): Promise<{ server: TestServer; url: string }> {
  return startServer();
}
