/**
 * Fixture mode: `?fixture=<name>[&t=<seconds>][&freeze=1]` replays a recorded feature fixture
 * (e2e/fixtures/<name>.fixture.json) instead of live audio, on a fixed frame clock: frame N is
 * time N/60 s, `t` starts the picture at that time (the frames before it are ticked without
 * drawing), `freeze` holds it there. Screenshots, scene tests and frame-cost benchmarks use it so
 * a frame's picture is the same on every run. Add `&dpr=1` (the adaptive resolution follows the
 * wall clock otherwise) and `&source=none` (keeps the audio engine idle).
 */
import { decodeFixture } from '../engine/fixtures/fixture.ts';
import { FixtureRun } from '../engine/fixtures/player.ts';
import { describeError } from '../engine/messages.ts';

/** Loaded only when asked for: each file becomes its own chunk. */
const FILES = import.meta.glob<unknown>('../e2e/fixtures/*.fixture.json', { import: 'default' });

/** Names of the recorded fixtures (`dance`, `ambient`, ...). */
export const FIXTURE_NAMES: readonly string[] = Object.keys(FILES).map((p) => p.replace(/^.*\//, '').replace(/\.fixture\.json$/, '')).sort();

export interface FixtureRequest {
  name: string;
  startAt: number;
  freeze: boolean;
}

/** The fixture the page's query asks for, or null (live mode). */
export function fixtureRequest(search: string): FixtureRequest | null {
  const q = new URLSearchParams(search);
  const name = q.get('fixture');
  if (!name) return null;
  const t = Number(q.get('t') ?? 0);
  return { name, startAt: Number.isFinite(t) && t > 0 ? t : 0, freeze: q.get('freeze') === '1' || q.get('freeze') === 'true' };
}

export type FixtureLoad = { ok: true; run: FixtureRun; request: FixtureRequest } | { ok: false; message: string };

export async function loadFixture(req: FixtureRequest): Promise<FixtureLoad> {
  const key = `../e2e/fixtures/${req.name}.fixture.json`;
  const importer = FILES[key];
  if (!importer) return { ok: false, message: `No feature fixture "${req.name}"; recorded ones: ${FIXTURE_NAMES.join(', ')}. Running on live audio.` };
  try {
    const r = decodeFixture(await importer());
    if (!r.ok) return { ok: false, message: `${r.message}. Running on live audio.` };
    return { ok: true, run: new FixtureRun(r.fixture, { startAt: req.startAt, freeze: req.freeze }), request: req };
  } catch (err) {
    return { ok: false, message: `Feature fixture "${req.name}" could not be loaded (${describeError(err)}). Running on live audio.` };
  }
}

const requested = typeof location === 'undefined' ? null : fixtureRequest(location.search);

/**
 * The page's fixture, loaded before the app starts (top-level await) so the very first frame
 * already replays it: nothing drawn from live input ever reaches a fixture picture.
 */
export const PAGE_FIXTURE: FixtureLoad | null = requested ? await loadFixture(requested) : null;
