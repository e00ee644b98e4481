/**
 * The modulation panel shows the active scene's routes, edits them through the matrix, keeps
 * them per scene across a reload, and a scene switch swaps the routes the matrix runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, startServer, type TestServer } from './harness.ts';

let server: TestServer;
let url: string;
let browser: Browser;

const routes = (page: Page) => page.locator('[data-testid="modulation-panel"] [data-testid="route"]');
/** The routes the engine's matrix holds, as `source target amount enabled`. */
const matrixRoutes = (page: Page) =>
  page.evaluate(() => (globalThis as any).glassforest.tick.modulation.specs().map((r: any) => `${r.source} ${r.target} ${r.amount} ${r.enabled}`) as string[]);

beforeAll(async () => {
  ({ server, url } = await startServer());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the modulation panel', () => {
  it("lists the scene's routes, edits and keeps them across a reload, and follows scene switches", async () => {
    const { page, context, errors } = await openApp(browser, url, '?source=none&dpr=1&scene=glass-forest');
    await page.waitForFunction(() => (globalThis as any).glassforest?.tick.modulation.count > 0, null, { timeout: 60_000 });
    const defaults = await matrixRoutes(page);
    expect(defaults.length).toBeGreaterThan(5);
    await expect.poll(() => routes(page).count(), { timeout: 10_000 }).toBe(defaults.length);

    // Delete the first route, switch the second off, add one: all reach the matrix.
    await routes(page).first().getByRole('button').click();
    await routes(page).first().getByRole('checkbox').uncheck();
    await page.selectOption('[aria-label="Route source"]', 'lfo:sine:1/4');
    await page.selectOption('[aria-label="Route target"]', '/scene/glass-forest/haze');
    await page.fill('[aria-label="Route amount"]', '0.25');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const edited = await matrixRoutes(page);
    expect(edited.length).toBe(defaults.length);
    expect(edited).not.toContain(defaults[0]);
    expect(edited[0]).toBe(defaults[1].replace(/ true$/, ' false'));
    expect(edited.at(-1)).toBe('lfo:sine:1/4 /scene/glass-forest/haze 0.25 true');

    await page.reload();
    await page.waitForFunction(() => (globalThis as any).glassforest?.tick.modulation.count > 0, null, { timeout: 60_000 });
    expect(await matrixRoutes(page)).toEqual(edited);

    // Another scene runs its own routes; coming back restores the edited ones. Switches cut: during
    // a blend both scenes' routes run by design, and this checks what runs after it.
    await page.evaluate(() => (globalThis as any).glassforest.bank.setByPath('/engine/transition/type', 'cut'));
    await page.selectOption('select[aria-label="Scene"]', 'spectral-veil');
    // A switch compiles the incoming scene over a few frames first: allow for a slow, shared machine.
    await page.waitForFunction(() => (globalThis as any).glassforest.sceneId === 'spectral-veil', null, { timeout: 30_000 });
    expect((await matrixRoutes(page)).filter((r) => r.includes('/scene/glass-forest/'))).toEqual([]);
    await page.selectOption('select[aria-label="Scene"]', 'glass-forest');
    await page.waitForFunction(() => (globalThis as any).glassforest.sceneId === 'glass-forest', null, { timeout: 30_000 });
    expect(await matrixRoutes(page)).toEqual(edited);

    await page.getByRole('button', { name: "Reset to the scene's routes" }).click();
    expect(await matrixRoutes(page)).toEqual(defaults);
    expect(errors).toEqual([]);
    await context.close();
  });
});
