/**
 * End-to-end harness: the real app served by Vite, driven in Debian's headless Chromium
 * through playwright-core. WAV fixtures are generated per run with known ground truth.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, preview, type Plugin } from 'vite';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function chromePath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('No Chromium for end-to-end tests: install the Debian package "chromium" or set CHROME_PATH (npm test does this for you).');
}

const BASE_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

export interface LaunchOptions {
  /** WAV file delivered as the microphone (absolute path). */
  fakeMic?: string;
  /** Deny microphone permission instead of granting it. */
  denyMic?: boolean;
}

export async function launch(opts: LaunchOptions = {}): Promise<Browser> {
  const args = [...BASE_ARGS];
  if (opts.denyMic) {
    args.push('--use-fake-device-for-media-stream', '--deny-permission-prompts');
  } else {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream');
    if (opts.fakeMic) args.push(`--use-file-for-fake-audio-capture=${opts.fakeMic}`);
  }
  return chromium.launch({ executablePath: chromePath(), args, headless: true });
}

/**
 * Where the e2e global setup builds the app once per run: the tests load the built app (as a
 * show would), which starts faster on a loaded machine than the dev server's module graph.
 */
export const E2E_DIST = join(ROOT, 'node_modules', '.cache', 'glassforest-e2e-dist');

/** A served copy of the app: close it when the file's tests are done. */
export interface TestServer {
  close(): Promise<void>;
}

/** Drops the cross-origin isolation headers (for the "not isolated" case), dev server or preview. */
function dropIsolation(_req: unknown, res: import('node:http').ServerResponse, next: () => void): void {
  const set = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) =>
    /^cross-origin-(opener|embedder)-policy$/i.test(name) ? res : set(name, value)) as typeof res.setHeader;
  next();
}

const withoutIsolation: Plugin = {
  name: 'test-without-isolation',
  configureServer(server) {
    server.middlewares.use(dropIsolation);
  },
  configurePreviewServer(server) {
    server.middlewares.use(dropIsolation);
  },
};

/**
 * Serve the app on a free port: inside an e2e run, the build its global setup made (as
 * `npm start` serves it); elsewhere (benches), the dev server.
 */
export async function startServer(opts: { isolated?: boolean } = {}): Promise<{ server: TestServer; url: string }> {
  const plugins = opts.isolated === false ? [withoutIsolation] : [];
  const configFile = join(ROOT, 'vite.config.ts');
  // Only inside an e2e run whose global setup has just built it (a bench or a stale copy gets the dev server).
  if (process.env.GLASSFOREST_E2E_DIST === E2E_DIST && existsSync(join(E2E_DIST, 'index.html'))) {
    const server = await preview({ configFile, logLevel: 'error', preview: { port: 0, strictPort: false, host: '127.0.0.1' }, build: { outDir: E2E_DIST }, plugins });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a local URL');
    return { server: { close: () => server.close() }, url };
  }
  // No hot reload: a file saved during a run must not reload a page mid-test.
  const server = await createServer({ configFile, logLevel: 'error', server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false, watch: null }, plugins });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a local URL');
  return { server, url };
}

/** A dev server and a headless browser shared by one test file's tests. */
export interface AppSession {
  server: TestServer;
  url: string;
  browser: Browser;
  /** Close the browser, then the server. */
  close: () => Promise<void>;
}

/** Start the dev server and launch the browser (for a file's `beforeAll`; `close()` in its `afterAll`). */
export async function startAppSession(opts: { isolated?: boolean; launch?: LaunchOptions } = {}): Promise<AppSession> {
  const { server, url } = await startServer({ isolated: opts.isolated });
  let browser: Browser;
  try {
    browser = await launch(opts.launch);
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    server,
    url,
    browser,
    close: async () => {
      try {
        await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'glassforest-e2e-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Pages open without a keyframe set unless the query names one (`keyframes=<set>`): the default
 * set loads in the background a few seconds after start, which would change the picture in the
 * middle of tests that compare frames for other reasons.
 */
export function withKeyframes(query: string): string {
  if (/[?&]keyframes=/.test(query)) return query;
  return query ? `${query}&keyframes=none` : '?keyframes=none';
}

/**
 * Open the app and collect uncaught page errors for the assertions. Tests that never read the
 * picture add `dpr=0.25` (and, unless the scene matters, `scene=spectral-veil`, the lightest
 * scene) to the query: on software GL the glass forest's instanced trees cost ~70 ms a frame at
 * any size, and a page that draws quickly answers the test quickly.
 */
export async function openApp(browser: Browser, url: string, query = ''): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  // Small output: software GL is slow and pictures are compared at low resolution anyway.
  const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url + withKeyframes(query));
  return { page, context, errors };
}

/** A scene's page (no audio source, pixel ratio 1) and every problem it reported. */
export interface ScenePage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors. */
  errors: string[];
  /** Page errors, shader and GL errors on the console, and error messages shown to the performer. */
  problems: () => Promise<string[]>;
  close: () => Promise<void>;
}

/** Open the app on scene `id` with no audio source (`?source=none&dpr=1&scene=<id>`), collecting shader errors too. */
export async function openScene(browser: Browser, url: string, id: string): Promise<ScenePage> {
  const { page, context, errors } = await openApp(browser, url, `?source=none&dpr=1&scene=${id}`);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /shader|WebGLProgram|GL_INVALID/i.test(m.text())) consoleErrors.push(m.text());
  });
  return {
    page,
    context,
    errors,
    problems: async () => [...errors, ...consoleErrors, ...(await messages(page)).filter((m) => /shader|error|failed/i.test(m))],
    close: () => context.close(),
  };
}

/** Value of the scene picker: the scene the page shows. */
export async function selectedScene(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.querySelector<HTMLSelectElement>('select[aria-label="Scene"]')?.value);
}

export async function waitForPhase(page: Page, phase: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((p) => (globalThis as any).glassforest?.audio.getStatus().phase === p, phase, { timeout, polling: 100 });
}

/** Wait until at least `n` hops have been analysed. */
export async function waitForHops(page: Page, n: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((k) => ((globalThis as any).glassforest?.snapshot.hops ?? 0) >= k, n, { timeout, polling: 50 });
}

export async function frames(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as any).glassforest.frames as number);
}

/** Texts of the messages shown to the performer. */
export async function messages(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="messages"] li', (els) => els.map((e) => e.textContent ?? ''));
}

/**
 * Pin the output to exactly width×height CSS pixels on top of the control view, from the first
 * frame of every load of `page` (reloads included), and hide the start overlay.
 */
export async function pinOutputAtLoad(page: Page, width: number, height: number): Promise<void> {
  const css = `.output{position:fixed!important;left:0;top:0;width:${width}px!important;height:${height}px!important;flex:none!important;z-index:1000} .start-overlay{display:none}`;
  await page.addInitScript((text) => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = text;
      document.head.append(style);
    });
  }, css);
}

/** Pin the output to 320×180 CSS pixels (the pixel ratio is fixed at 1 by `?dpr=1`). */
export async function pinSmallOutput(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.output{position:fixed!important;left:0;top:0;width:320px!important;height:180px!important;flex:none!important;z-index:1000}' });
}

/**
 * In-page helpers, as a string so no bundler helper names reach the page: `frames(n)` waits n
 * animation frames, `grab()` reads a 64×36 luminance downsample of the output canvas, `set(path, v)`
 * sets a parameter by path.
 */
export const OUTPUT_PAGE_LIB = `
  const frames = (n) => new Promise((done) => { let k = 0; const f = () => (++k >= n ? done() : requestAnimationFrame(f)); requestAnimationFrame(f); });
  const grab = () => {
    const src = document.querySelector('[data-testid="output"] canvas');
    const c = document.createElement('canvas');
    c.width = 64; c.height = 36;
    const g = c.getContext('2d');
    g.drawImage(src, 0, 0, 64, 36);
    const d = g.getImageData(0, 0, 64, 36).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push(0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]);
    return out;
  };
  const set = (path, v) => { const r = globalThis.glassforest.bank.setByPath(path, v); if (!r.ok) throw new Error(r.message); };
`;

/**
 * Run `body` (in-page code using the OUTPUT_PAGE_LIB helpers, plus `lib`) in one evaluate once the
 * page draws, with the output pinned small, so parameters and pixels belong to one page load;
 * a dev-server reload (the page navigated away mid-run) retries, up to three attempts.
 */
export async function inOutputPage<T>(page: Page, body: string, lib = ''): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
      await pinSmallOutput(page);
      return (await page.evaluate(`(async () => { ${OUTPUT_PAGE_LIB} ${lib} ${body} })()`)) as T;
    } catch (err) {
      if (attempt >= 3 || !/context was destroyed|navigation|reading '/.test(String(err))) throw err;
    }
  }
}

/** The output canvas as 64×36 luminance values (0..255). */
export async function grabOutput(page: Page): Promise<number[]> {
  return (await page.evaluate(`(() => { ${OUTPUT_PAGE_LIB} return grab(); })()`)) as number[];
}

export function meanAbsDiff(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Mean and standard deviation of a luminance grid (or any numbers). */
export function mean(a: readonly number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

export function std(a: readonly number[]): number {
  const m = mean(a);
  return Math.sqrt(mean(a.map((v) => (v - m) ** 2)));
}
