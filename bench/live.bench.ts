/**
 * Live figures from the real app in headless Chromium, built and served like production:
 *  - start-up: page load to the first frame driven by live features (and essentia.js load time)
 *  - feature age at render: audio time heard when a frame is drawn minus the audio time of the
 *    newest features it shows (median, p99), with the hop length as the yardstick
 *  - analysis cost per hop in the live worker (median, p99)
 * Prints figures only; never passes or fails on time.
 */
import { spawnSync } from 'node:child_process';
import { preview } from 'vite';
import { join } from 'node:path';
import { ROOT, launch } from '../e2e/harness.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 8000);

function fmt(v: number, d = 1): string {
  return v.toFixed(d).padStart(8);
}

async function main(): Promise<void> {
  const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const server = await preview({ configFile: join(ROOT, 'vite.config.ts'), preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server has no URL');
  const browser = await launch();
  const rows: { startup: number; essentia: number; ageMed: number; ageP99: number; clockMed: number; clockP99: number; hopMs: number; costMed: number; costP99: number; fps: number }[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await page.goto(url + '?source=demo');
      await page.waitForFunction(() => (globalThis as any).glassforest?.startupMs() >= 0, null, { timeout: 60_000, polling: 20 });
      const startup = await page.evaluate(() => (globalThis as any).glassforest.startupMs() as number);
      await page.waitForTimeout(1000);
      await page.evaluate(() => (globalThis as any).glassforest.resetFeatureAgeStats());
      await page.waitForTimeout(MEASURE_MS);
      const fig = await page.evaluate(async () => {
        const g = (globalThis as any).glassforest;
        const age = g.featureAgeStats('heard');
        const clockAge = g.featureAgeStats('clock');
        const stats = await g.audio.stats();
        return { age, clockAge, stats, fps: g.fps() };
      });
      rows.push({
        startup,
        essentia: fig.stats.essentiaLoadMs,
        ageMed: fig.age.median * 1000,
        ageP99: fig.age.p99 * 1000,
        clockMed: fig.clockAge.median * 1000,
        clockP99: fig.clockAge.p99 * 1000,
        hopMs: (fig.stats.hopSize / fig.stats.sampleRate) * 1000,
        costMed: fig.stats.costMedianMs,
        costP99: fig.stats.costP99Ms,
        fps: fig.fps,
      });
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((res) => server.httpServer.close(() => res()));
  }
  console.log('live app (vite build + preview, headless Chromium, demo track)');
  console.log('run   startup_ms  essentia_ms  age_med_ms  age_p99_ms  hop_ms  target_ms  cost_med_ms  cost_p99_ms   fps  clk_age_med  clk_age_p99');
  console.log('age = time heard (output timestamp) minus audio time of the features shown; clk_age uses the context clock (currentTime) instead. Negative: features ready before the sound.');
  rows.forEach((x, i) => {
    console.log(
      `${String(i + 1).padEnd(4)}${fmt(x.startup, 0)}    ${fmt(x.essentia, 0)}    ${fmt(x.ageMed)}    ${fmt(x.ageP99)} ${fmt(x.hopMs)}  ${fmt(x.hopMs + 3)}     ${fmt(x.costMed, 3)}     ${fmt(x.costP99, 3)} ${fmt(x.fps, 0)}     ${fmt(x.clockMed)}     ${fmt(x.clockP99)}`,
    );
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
