/**
 * `npm run screenshots [-- <scene ids...>] [--size 1280x720] [--fixture dance] [--t 4]`
 *
 * Renders every registered scene (or the ones named) from a recorded feature fixture at a fixed
 * fixture time in headless Chromium's software WebGL and writes docs/screenshots/<id>.png. The
 * same fixture frame gives the same picture on every run, so a changed PNG means a changed scene.
 *
 * `npm run screenshots -- --control` instead takes the whole control view at 1366×768 (a laptop
 * screen) with the glass forest playing from the fixture: docs/screenshots/control-view.png, and
 * an output window with a corner pin and a mesh warp in the mapping editor:
 * docs/screenshots/mapping-editor.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, launch, startServer } from '../e2e/harness.ts';
import { openFixturePage, pngAfterFrame, registeredSceneIds } from '../e2e/fixture-kit.ts';

const USAGE = `usage: npm run screenshots [-- <scene ids...>] [--size 1280x720] [--fixture dance] [--t 4] [--out docs/screenshots] [--control]`;
/** The loaded-ISF slot plays the first bundled file until the performer loads one: no picture of its own. */
const SKIP = new Set(['isf-file']);
/** Drawn frames before the picture is taken: shaders compiled, render targets filled. */
const SETTLE = 6;

interface Options {
  ids: string[];
  width: number;
  height: number;
  fixture: string;
  t: number;
  out: string;
  control: boolean;
}

function parse(argv: readonly string[]): Options | string {
  const o: Options = { ids: [], width: 1280, height: 720, fixture: 'dance', t: 4, out: join(ROOT, 'docs', 'screenshots'), control: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '-h' || a === '--help') return USAGE;
    if (a === '--control') {
      o.control = true;
      continue;
    }
    if (a === '--size') {
      const m = /^(\d+)x(\d+)$/.exec(v ?? '');
      if (!m) return `--size needs WIDTHxHEIGHT, got '${v ?? ''}'`;
      o.width = Number(m[1]);
      o.height = Number(m[2]);
      i++;
    } else if (a === '--fixture') {
      if (!v) return '--fixture needs a name';
      o.fixture = v;
      i++;
    } else if (a === '--t') {
      if (!(Number(v) >= 0)) return `--t needs seconds, got '${v ?? ''}'`;
      o.t = Number(v);
      i++;
    } else if (a === '--out') {
      if (!v) return '--out needs a folder';
      o.out = v;
      i++;
    } else if (a.startsWith('-')) return `unknown option '${a}'\n${USAGE}`;
    else o.ids.push(a);
  }
  return o;
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  if (typeof o === 'string') {
    console.error(o === USAGE ? USAGE : `screenshots: ${o}`);
    return o === USAGE ? 0 : 2;
  }
  const { server, url } = await startServer();
  const browser = await launch();
  let failed = 0;
  try {
    if (o.control) return await controlView(browser, url, o);
    const first = await openFixturePage(browser, url, { scene: '', fixture: o.fixture, width: 320, height: 180 });
    const all = await registeredSceneIds(first.page);
    await first.context.close();
    const unknown = o.ids.filter((id) => !all.includes(id));
    if (unknown.length) {
      console.error(`screenshots: unknown scene ${unknown.join(', ')}; registered: ${all.join(', ')}`);
      return 2;
    }
    mkdirSync(o.out, { recursive: true });
    for (const id of o.ids.length ? o.ids : all.filter((s) => !SKIP.has(s))) {
      const t0 = Date.now();
      const p = await openFixturePage(browser, url, { scene: id, fixture: o.fixture, t: o.t, freeze: true, width: o.width, height: o.height });
      try {
        const shot = await pngAfterFrame(p.page, SETTLE);
        const file = join(o.out, `${id}.png`);
        writeFileSync(file, shot.png);
        const problems = p.errors.length ? ` (page reported: ${p.errors.join(' | ').slice(0, 300)})` : '';
        if (problems) failed++;
        console.log(`screenshots: ${id} → ${file} (${(shot.png.length / 1024).toFixed(0)} KiB, ${((Date.now() - t0) / 1000).toFixed(1)} s)${problems}`);
      } finally {
        await p.context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return failed > 0 ? 1 : 0;
}

/** The whole control view on a 1366×768 laptop screen, the glass forest playing from the fixture. */
async function controlView(browser: Browser, url: string, o: Options): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    const q = new URLSearchParams({ source: 'none', dpr: '1', scene: 'glass-forest', fixture: o.fixture, t: String(o.t), keyframes: 'glass-dusk' });
    await page.goto(`${url}?${q}`);
    await page.waitForFunction(() => (globalThis as any).glassforest?.fixture?.rendered > 40, null, { timeout: 120_000 });
    mkdirSync(o.out, { recursive: true });
    const file = join(o.out, 'control-view.png');
    await page.screenshot({ path: file });
    console.log(`screenshots: control view → ${file}`);
    // The mapping editor on an output: a keystoned corner pin, a bent mesh, a soft right edge.
    const id = await page.evaluate(() => {
      const m = (globalThis as any).glassforestOutputs;
      const out = m.add();
      m.update(out, (s: any) => {
        s.output = { width: 960, height: 540 };
        s.cornerPin.enabled = true;
        s.cornerPin.corners = [{ x: 0.06, y: 0.04 }, { x: 0.95, y: 0.1 }, { x: 0.9, y: 0.93 }, { x: 0.03, y: 0.97 }];
        s.mesh.enabled = true;
        s.mesh.points[4] = { x: 0.56, y: 0.44 };
        s.softEdge.enabled = true;
        s.softEdge.right.width = 0.15;
      });
      return out as string;
    });
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click(`[data-testid="output-${id}"] button:has-text("Open")`)]);
    await popup.setViewportSize({ width: 960, height: 540 });
    await page.waitForFunction((i) => (globalThis as any).glassforestOutputs.frames(i) > 5, id, { timeout: 120_000 });
    await popup.keyboard.press('e');
    await popup.keyboard.press('w');
    await page.waitForFunction((i) => (globalThis as any).glassforestOutputs.frames(i) > 10, id, { timeout: 120_000 });
    const mapping = join(o.out, 'mapping-editor.png');
    await popup.screenshot({ path: mapping });
    console.log(`screenshots: mapping editor → ${mapping}`);
    return 0;
  } finally {
    await context.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
