/**
 * ISF shaders play as scenes: a bundled shader renders and its inputs (parameters) change the
 * picture, a multi-pass shader with a persistent buffer renders, a loaded file becomes a scene,
 * and a broken file is refused with its line while the running scene keeps rendering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch, mean, meanAbsDiff, messages, openApp, OUTPUT_PAGE_LIB, pinSmallOutput, ROOT, startServer, tempDir, type TestServer } from './harness.ts';

const P = '/scene/isf-glass-ripple/';

let server: TestServer;
let url: string;
let tmp: ReturnType<typeof tempDir>;
let browser: Browser;

const PAGE_LIB = `${OUTPUT_PAGE_LIB}
  const scene = () => document.querySelector('select[aria-label="Scene"]').value;
`;

async function inPage<T>(page: Page, body: string): Promise<T> {
  return (await page.evaluate(`(async () => { ${PAGE_LIB} ${body} })()`)) as T;
}

const diff = meanAbsDiff;

beforeAll(async () => {
  tmp = tempDir();
  ({ server, url } = await startServer());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('ISF scenes', () => {
  it('render, answer their parameters, load files, and survive a broken file', async () => {
    const { page, context, errors } = await openApp(browser, url, '?source=none&dpr=1&scene=isf-glass-ripple');
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
    await pinSmallOutput(page);
    // Scene switches cut (after the incoming shader is compiled) so each step sees one scene.
    await page.evaluate(() => (globalThis as any).glassforest.bank.setByPath('/engine/transition/type', 'cut'));

    // 1. A bundled shader renders; with its animation held, only a parameter moves the picture.
    const r1 = await inPage<Record<string, number[]>>(
      page,
      `set('${P}speed', 0);
      await frames(4);
      const a = grab();
      await frames(3);
      const b = grab();
      set('${P}rings', 3);
      set('${P}tint', '#ff8020');
      await frames(4);
      const changed = grab();
      set('${P}speed', 2);
      return { a, b, changed };`,
    );
    expect(mean(r1.a), 'not black').toBeGreaterThan(10);
    const still = diff(r1.a, r1.b);
    expect(still, 'held still').toBeLessThan(1);
    expect(diff(r1.a, r1.changed), 'rings and tint change the picture').toBeGreaterThan(Math.max(5, still * 5));

    // 2. A broken file (GLSL error on line 9 of the file) is refused; the running scene keeps going.
    const broken = join(tmp.dir, 'broken.fs');
    writeFileSync(broken, ['/*{', '  "ISFVSN": "2",', '  "INPUTS": [ { "NAME": "gain", "TYPE": "float", "DEFAULT": 0.5 } ]', '}*/', '', 'void main() {', '  vec2 uv = isf_FragNormCoord;', '  float g = gain * 2.0;', '  gl_FragColor = vec4(uv, g, 1.0) * notDeclared;', '}', ''].join('\n'));
    await page.setInputFiles('[data-testid="isf-file-input"]', broken);
    await page.waitForSelector('[data-testid="isf-problems"][data-ok="0"]', { timeout: 10_000 });
    const problems = await page.$eval('[data-testid="isf-problems"]', (e) => e.textContent ?? '');
    expect(problems).toMatch(/broken\.fs, line 9: .*notDeclared/);
    expect((await messages(page)).some((m) => /broken\.fs was not loaded; the current scene keeps running/.test(m))).toBe(true);
    const r2 = await inPage<{ scene: string; a: number[]; b: number[] }>(page, `await frames(2); const a = grab(); await frames(6); const b = grab(); return { scene: scene(), a, b };`);
    expect(r2.scene).toBe('isf-glass-ripple');
    expect(mean(r2.a), 'still not black').toBeGreaterThan(10);
    expect(diff(r2.a, r2.b), 'still animating').toBeGreaterThan(1);

    // 3. A good file becomes the "ISF file" scene, its inputs parameters under /scene/isf-<name>/.
    const good = join(tmp.dir, 'My Ripple.fs');
    writeFileSync(good, readFileSync(join(ROOT, 'shaders/isf/glass-ripple.fs'), 'utf8').replace('"DEFAULT": [0.55, 0.8, 1.0, 1.0]', '"DEFAULT": [1.0, 0.3, 0.1, 1.0]'));
    await page.setInputFiles('[data-testid="isf-file-input"]', good);
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select[aria-label="Scene"]')?.value === 'isf-file', null, { timeout: 10_000 });
    const r3 = await inPage<{ a: number[]; has: boolean }>(page, `await frames(4); return { a: grab(), has: globalThis.glassforest.bank.has('/scene/isf-my-ripple/rings') };`);
    expect(r3.has).toBe(true);
    expect(mean(r3.a)).toBeGreaterThan(10);

    // 4. Broken again while the loaded file plays: the loaded shader keeps rendering.
    await page.setInputFiles('[data-testid="isf-file-input"]', broken);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="messages"] li').length >= 2, null, { timeout: 10_000 });
    const r4 = await inPage<{ scene: string; a: number[]; b: number[] }>(page, `await frames(2); const a = grab(); await frames(6); const b = grab(); return { scene: scene(), a, b };`);
    expect(r4.scene).toBe('isf-file');
    expect(mean(r4.a)).toBeGreaterThan(10);
    expect(diff(r4.a, r4.b), 'the loaded shader still animates').toBeGreaterThan(1);

    // 5. The multi-pass shader with a persistent buffer renders.
    await page.selectOption('select[aria-label="Scene"]', 'isf-feedback-trails');
    const r5 = await inPage<{ a: number[] }>(page, `await frames(8); return { a: grab() };`);
    expect(mean(r5.a), 'feedback trails not black').toBeGreaterThan(5);

    // 6. PERSISTENT: a buffer that adds a little each frame grows brighter over time.
    const acc = join(tmp.dir, 'accumulate.fs');
    writeFileSync(
      acc,
      ['/*{ "ISFVSN": "2", "PASSES": [ { "TARGET": "acc", "PERSISTENT": true, "FLOAT": true }, { } ] }*/', 'void main() {', '  if (PASSINDEX == 0) {', '    float old = FRAMEINDEX == 0 ? 0.0 : IMG_THIS_NORM_PIXEL(acc).r;', '    gl_FragColor = vec4(vec3(min(1.0, old + 0.01)), 1.0);', '  } else {', '    gl_FragColor = IMG_THIS_NORM_PIXEL(acc);', '  }', '}', ''].join('\n'),
    );
    await page.setInputFiles('[data-testid="isf-file-input"]', acc);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="messages"] li')].some((e) => /accumulate\.fs loaded/.test(e.textContent ?? '')), null, { timeout: 10_000 });
    await page.waitForFunction(() => (globalThis as any).glassforest.switcher.machine.to === '', null, { timeout: 10_000 });
    const r6 = await inPage<{ early: number[]; late: number[] }>(page, `await frames(3); const early = grab(); await frames(20); const late = grab(); return { early, late };`);
    expect(mean(r6.late) - mean(r6.early), 'the persistent buffer keeps what earlier frames wrote').toBeGreaterThan(20);

    // 7. A file dropped on the panel loads like a picked one (a real drop event with a DataTransfer).
    const ripple = readFileSync(join(ROOT, 'shaders/isf/glass-ripple.fs'), 'utf8');
    await page.evaluate((text) => {
      const panel = document.querySelector('[data-testid="isf-panel"]') as HTMLElement;
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'Dropped.fs', { type: 'text/plain' }));
      panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      panel.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, ripple);
    await page.waitForFunction(() => (globalThis as any).glassforest.bank.has('/scene/isf-dropped/rings'), null, { timeout: 10_000 });
    expect(await page.$eval('[data-testid="isf-panel"]', (e) => e.classList.contains('dragging')), 'the drop highlight goes away').toBe(false);

    const shaderErrors = (await messages(page)).filter((m) => /shader failed to compile|ISF scene/.test(m));
    expect(shaderErrors).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
