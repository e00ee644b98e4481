/**
 * Two figures of the preset bank, in headless Chromium with software WebGL (SwiftShader), output
 * pinned to 320×180 at pixel ratio 1, no audio:
 *
 * 1. The worst frame during a preset switch (spectral-veil → a preset on glass-forest with its own
 *    values, fired "on the next bar" at 120 bpm) relative to the median frame before it; with the
 *    next preset prepared ahead (the incoming scene compiles and renders off-screen while the bar
 *    runs out) and, as the peer in the same run, without (it compiles on its first visible frame
 *    at the bar). Fresh browser per round, variants alternating, so no shader cache carries over.
 * 2. Autosave cost per change: the timer's compare of every parameter value with the last seen
 *    (on a check that finds a change, and on one that finds none), the idle-time build of the
 *    record (JSON), and the time until IndexedDB has committed it (asynchronous: not on the frame).
 *
 *   npx tsx bench/preset-switch.bench.ts     # env: ROUNDS=5 (0: autosave only), SIZE=320x180, CHANGES=60
 */
import { createPreset, exportShow } from '../engine/presets/index.ts';
import { frameCosts, launch, startServer, withRetries, withScenePage } from './scene-page.ts';
import { formatTable, summarize } from './stats.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CHANGES = Number(process.env.CHANGES ?? 60);
const [W, H] = (process.env.SIZE ?? '320x180').split('x').map(Number);
const FROM = 'spectral-veil';
const TO = 'glass-forest';

interface Run {
  baseline: number[];
  during: number[];
  postponed: number;
  waitedFrames: number;
}

/** A show with one preset on the target scene, quantised to the bar. */
async function showText(): Promise<string> {
  const { preset } = createPreset(
    { sceneId: TO, params: { '/scene/glass-forest/haze': 0.7, '/scene/glass-forest/sway': 0.6, '/post/bloom': 0.5 } },
    { name: 'Bench target', id: 'p-bench' },
  );
  const banks = [{ id: 'b-bench', name: 'Bench', entries: [{ preset: preset.id, trigger: { key: null, midi: null, osc: null, quantize: 'bar' as const } }] }];
  const r = await exportShow({ name: 'bench', presets: [preset], banks }, { manifest: () => null, image: () => null });
  return r.text;
}

async function measureSwitch(url: string, show: string, ahead: boolean): Promise<Run> {
  const browser = await launch();
  try {
    const opts = { query: `source=none&dpr=1&scene=${FROM}&keyframes=none&fresh`, width: W, height: H, viewport: { width: 960, height: 540 }, ready: 'live' } as const;
    return await withScenePage(browser, url, opts, async (page) => {
      await page.waitForFunction(() => (globalThis as any).glassforest.presets.phase === 'ready', null, { timeout: 60_000 });
      await page.evaluate(async (text) => {
        const host = (globalThis as any).glassforest;
        const r = await host.presets.importShow(text);
        if (!r.ok) throw new Error(r.problems.join('; '));
        host.tick.clock.setTempo(120, host.audio.audioNow());
      }, show);
      await page.waitForFunction(() => !(globalThis as any).glassforest.tick.clock.freeRunning, null, { timeout: 10_000 });
      return frameCosts<Run>(
        page,
        `const host = globalThis.glassforest;
        const m = host.switcher.machine;
        host.switcher.precompile = ${ahead};
        const baseline = [];
        const during = [];
        let fired = false;
        let waitedFrames = 0;
        let after = 0;
        const startAt = performance.now() + 2000;`,
        `(cost) => {
          if (!fired) {
            baseline.push(cost);
            if (performance.now() > startAt) {
              fired = true;
              host.presets.trigger(0, 'api');
            }
            return undefined;
          }
          during.push(cost);
          if (host.presets.pending) waitedFrames++;
          if (!host.presets.pending && m.phase === 0 && m.from === '${TO}') after++;
          return after > 20 || during.length > 3000 ? { baseline, during, postponed: host.presets.last ? host.presets.last.postponed : -1, waitedFrames } : undefined;
        }`,
      );
    });
  } finally {
    await browser.close();
  }
}

interface AutosaveRun {
  compareChanged: number[];
  compareSame: number[];
  build: number[];
  commit: number[];
}

async function measureAutosave(url: string): Promise<AutosaveRun> {
  const browser = await launch();
  try {
    const opts = { query: `source=none&dpr=1&keyframes=none`, width: W, height: H, viewport: { width: 960, height: 540 }, ready: 'live' } as const;
    return await withScenePage(browser, url, opts, async (page) => {
      await page.waitForFunction(() => (globalThis as any).glassforest.autosave.phase === 'running', null, { timeout: 60_000 });
      // A string, so the bundler's helper names never reach the page.
      return (await page.evaluate(`(async () => {
        const changes = ${CHANGES};
        const host = globalThis.glassforest;
        const a = host.autosave;
        const out = { compareChanged: [], compareSame: [], build: [], commit: [] };
        // Time the autosave's own steps where they run (the timer's check, the idle-time write).
        const check = a.check.bind(a);
        a.check = () => {
          const v = a.version;
          const t0 = performance.now();
          check();
          const dt = performance.now() - t0;
          (a.version !== v ? out.compareChanged : out.compareSame).push(dt);
        };
        const store = a.store;
        const put = store.write.bind(store);
        store.write = (text) => {
          const putAt = performance.now();
          return put(text).then(() => { out.commit.push(performance.now() - putAt); });
        };
        const write = a.write.bind(a);
        a.write = () => {
          const t0 = performance.now();
          write(); // builds the record synchronously, then hands it to IndexedDB
          out.build.push(performance.now() - t0);
        };
        const until = (f) => new Promise((resolve) => {
          const tick = () => (f() ? resolve() : setTimeout(tick, 10));
          tick();
        });
        for (let i = 0; i < changes; i++) {
          host.bank.setByPath('/post/bloom', (i % 10) / 10 + 0.05);
          const v = a.checks;
          await until(() => a.checks > v + 1 && !a.writing && a.savedVersion === a.version);
        }
        return out;
      })()`)) as AutosaveRun;
    });
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { server, url } = await startServer();
  const show = await showText();
  try {
    console.log(`preset switch ${FROM} -> preset on ${TO} (quantise bar at 120 bpm, performer's default transition), SwiftShader, ${W}x${H}, pixel ratio 1, ${ROUNDS} rounds per variant, fresh browser per round`);
    const variants = [
      { name: 'prepared ahead', ahead: true },
      { name: 'not prepared ahead (peer)', ahead: false },
    ];
    const rows = new Map(variants.map((v) => [v.name, { ratios: [] as number[], worst: [] as number[], medians: [] as number[], postponed: [] as number[] }]));
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        await withRetries(`round ${r + 1} ${v.name}`, async () => {
          const run = await measureSwitch(url, show, v.ahead);
          const base = summarize(Float64Array.from(run.baseline)).median;
          const worst = summarize(Float64Array.from(run.during)).max;
          const row = rows.get(v.name)!;
          row.ratios.push(worst / base);
          row.worst.push(worst);
          row.medians.push(base);
          row.postponed.push(run.postponed);
          process.stderr.write(`  round ${r + 1} ${v.name}: median ${base.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (x${(worst / base).toFixed(1)}), waited ${run.waitedFrames} frames for the bar, postponed ${run.postponed} bar(s)\n`);
        });
      }
    }
    if (ROUNDS > 0) console.log(
      formatTable(
        ['variant', 'runs', 'median frame ms', 'worst frame ms (median of runs)', 'worst/median (median)', 'worst/median (max)', 'bars postponed (max)'],
        variants.map((v) => {
          const row = rows.get(v.name)!;
          const ratio = summarize(Float64Array.from(row.ratios));
          return [
            v.name,
            String(row.ratios.length),
            summarize(Float64Array.from(row.medians)).median.toFixed(1),
            summarize(Float64Array.from(row.worst)).median.toFixed(1),
            ratio.median.toFixed(1),
            ratio.max.toFixed(1),
            String(Math.max(...row.postponed)),
          ];
        }),
      ),
    );
    if (ROUNDS > 0) {
      const on = summarize(Float64Array.from(rows.get(variants[0].name)!.ratios)).median;
      const off = summarize(Float64Array.from(rows.get(variants[1].name)!.ratios)).median;
      console.log(`\nworst-frame ratio, prepared ahead vs not: ${(on / off).toFixed(2)}\n`);
    }

    const a = await withRetries('autosave', () => measureAutosave(url));
    const ms = (xs: number[]) => {
      const s = summarize(Float64Array.from(xs));
      return [String(s.n), s.median.toFixed(3), s.p99.toFixed(3), s.max.toFixed(3)];
    };
    console.log(`autosave cost per change (${CHANGES} changes of /post/bloom, every parameter compared, whole working state written)`);
    console.log(
      formatTable(
        ['step', 'n', 'median ms', 'p99 ms', 'max ms'],
        [
          ['compare (timer, a change found)', ...ms(a.compareChanged)],
          ['compare (timer, nothing changed)', ...ms(a.compareSame)],
          ['build record (idle callback, JSON)', ...ms(a.build)],
          ['IndexedDB commit (async, off the frame)', ...ms(a.commit)],
        ],
      ),
    );
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
