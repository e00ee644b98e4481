/**
 * The page's single engine: audio side, feature bus reader, frame tick and parameters.
 * The output canvas calls `frame()` once per animation frame; panels read its fields.
 */
import { FeatureBusReader, ONSET_RING } from '../engine/features/bus.ts';
import { F, FEATURE_COLUMNS } from '../engine/features/layout.ts';
import { RecentValues } from '../engine/recent-values.ts';
import { EngineTick } from '../engine/tick.ts';
import { ParamBank } from '../engine/params/index.ts';
import { SCENE_INFOS } from '../scenes/infos.ts';
import type { SceneInfo } from '../scenes/types.ts';
import { report } from '../engine/messages.ts';
import { activateSceneRoutes, blendSceneRoutes, keepOnlySceneRoutes, resetSceneRoutes, routesKey, saveSceneRoutes, type RouteStorage } from './scene-routes.ts';
import { POST_PARAMS } from '../engine/render/post.ts';
import { TRANSITION_PARAMS } from '../engine/render/transition.ts';
import { SceneSwitcher, type SwitchOptions } from './render/scene-switcher.ts';
import { AudioEngine } from './audio/audio-engine.ts';
import { BridgeClient, bridgeUrlFromLocation } from './control/bridge-client.ts';
import { MidiInput, feedMidiBytes, setActiveMidiInput } from './control/midi-input.ts';
import type { FixtureRun } from '../engine/fixtures/player.ts';
import { PAGE_FIXTURE, loadFixture } from './fixture-mode.ts';
import { KeyframeHost, requestedSet } from './keyframes/keyframe-host.ts';
import { Autosave } from './show/autosave.ts';
import { PresetShow } from './show/preset-show.ts';
import { getOutputManager } from './output/output-manager.ts';
import type { RouteSpec } from '../engine/modulation/index.ts';
import { isInstallation } from './FlashGuard.tsx';
import { SCENES } from '../scenes/registry.ts';

const AGE_WINDOW = 600;
const ONSET_LOG = 256;

export class EngineHost {
  readonly audio: AudioEngine;
  readonly bank: ParamBank;
  readonly tick: EngineTick;
  readonly reader: FeatureBusReader;
  /** Link to the Node bridge (OSC, OSCQuery, hardware MIDI); idle until `start()`. */
  readonly bridge: BridgeClient;
  /** Web MIDI (and the bridge's hardware MIDI): mappings, learn, feedback, MIDI clock. */
  readonly midi: MidiInput;
  /** Texture keyframe sets: loading, and the blend every scene reads. */
  readonly keyframes: KeyframeHost;
  /** The working state (scene, every value, keyframe set) saved as it changes and restored at start. */
  readonly autosave: Autosave;
  /** Projector outputs (app/output/), as presets save and put them back. */
  readonly outputs = { snapshot: (): unknown => getOutputManager().snapshot(), restore: (settings: unknown) => getOutputManager().restore(settings) };
  /** Presets, banks and set lists: saved in IndexedDB, fired by click, key, MIDI note or OSC. */
  readonly presets: PresetShow;
  /** Settles once the saved working state has been applied (or there was none to apply). */
  restored: Promise<void> = Promise.resolve();
  frames = 0;
  /** Preview pixel ratio chosen by the adaptive resolution. */
  renderScale = 1;
  /**
   * Numbers a scene publishes about what it shows, by name (the crowd's `crowd.walkers`), for
   * diagnostics and tests: a scene registers a one-element array when it mounts, writes element 0
   * each frame (no allocation) and removes its entry when it unmounts.
   */
  readonly readout = new Map<string, Float64Array>();
  /** Feature offsets, for panels and diagnostics. */
  readonly layout = { F, FEATURE_COLUMNS };
  /** Fixture mode (`?fixture=`): recorded features on a fixed frame clock instead of live audio; null when live. */
  fixture: FixtureRun | null = null;
  /** performance.now() of the first frame drawn from live features, or -1. */
  firstLiveFrameAt = -1;
  /** Feature age at render against the heard time, and against the context's processing clock. */
  private ages = new RecentValues(AGE_WINDOW);
  private clockAges = new RecentValues(AGE_WINDOW);
  private frameTimes = new Float64Array(30);
  private frameIndex = 0;
  private lastSeq = 0;
  private lastOnsetCount = 0;
  /** Audio times of the newest onsets (ring of ONSET_LOG), for the UI and tests. */
  readonly onsetLog = new Float64Array(ONSET_LOG);
  onsetLogCount = 0;
  /** Audio times of the beats the clock emitted (ring of ONSET_LOG), for the UI and tests. */
  readonly beatLog = new Float64Array(ONSET_LOG);
  beatLogCount = 0;

  constructor() {
    this.audio = new AudioEngine();
    this.bank = new ParamBank();
    for (const s of SCENE_INFOS) this.bank.register(s.params);
    this.bank.register(TRANSITION_PARAMS);
    this.bank.register(POST_PARAMS);
    this.reader = new FeatureBusReader(this.audio.bus);
    this.tick = new EngineTick(this.reader, this.bank);
    this.keyframes = new KeyframeHost(this.bank);
    this.autosave = new Autosave(this);
    const url = typeof location === 'undefined' ? null : bridgeUrlFromLocation(location.search, location.hostname);
    this.bridge = new BridgeClient(this.bank, SCENE_INFOS.map((s) => s.id), url);
    // Web MIDI stamps messages on the page clock; the beat clock runs on the audio clock.
    this.midi = new MidiInput(this.bank, this.tick.clock, (ms) => this.audio.audioNow() - (performance.now() - ms) / 1000);
    setActiveMidiInput(this.midi);
    // MIDI controls and OSC /ext/<name> also feed modulation slots (route sources ext:midi:1:cc:74, ext:<name>).
    this.midi.router.setModulation(this.tick.modulation);
    this.bridge.applier.setModulation(this.tick.modulation);
    this.presets = new PresetShow(this);
    // Preset triggers: MIDI notes (Web MIDI and the bridge) and OSC /engine/preset[/next|/prev], all on the frame.
    this.midi.router.onNoteOn = (channel, note) => this.presets.noteOn(channel, note);
    this.bridge.applier.onPreset = (value) => this.presets.oscPreset(value);
    this.bridge.applier.onPresetStep = (steps) => {
      this.presets.step(steps, 'osc');
    };
  }

  get snapshot() {
    return this.tick.snapshot;
  }

  get uniforms() {
    return this.tick.uniforms;
  }

  /** Replay `run` from the next frame on (fixture mode): `frame()` then ignores the wall clock. */
  useFixture(run: FixtureRun): void {
    this.fixture = run;
    this.tick.setSource(run.player);
  }

  /** Replay a recorded fixture from now on, as `?fixture=<name>&t=<startAt>&freeze=1` would (tests, console). */
  async loadFixture(name: string, startAt = 0, freeze = false): Promise<boolean> {
    const r = await loadFixture({ name, startAt, freeze });
    if (!r.ok) report('error', r.message);
    else this.useFixture(r.run);
    return r.ok;
  }

  /** One display frame: read the newest features and resolve parameters and uniforms. */
  frame(nowMs: number, width: number, height: number): void {
    if (this.fixture) {
      // Fixture frames start once the scene's routes are in, so frame N always has the same modulation.
      if (this.sceneId === '') return;
      this.fixture.step(this.tick, width, height);
      this.keyframes.frame(this.tick.uniforms, this.tick.clock, this.tick.snapshot.onsetCount, this.tick.smoothed);
      this.frames++;
      this.frameTimes[this.frameIndex] = nowMs;
      this.frameIndex = (this.frameIndex + 1) % this.frameTimes.length;
      return;
    }
    const audioNow = this.audio.audioNow();
    this.midi.frame(nowMs);
    this.bridge.applyInput(this.tick.clock, audioNow, nowMs);
    this.tick.tick(nowMs / 1000, audioNow, width, height);
    this.presets.frame(audioNow);
    this.keyframes.frame(this.tick.uniforms, this.tick.clock, this.tick.snapshot.onsetCount, this.tick.smoothed);
    this.frames++;
    this.frameTimes[this.frameIndex] = nowMs;
    this.frameIndex = (this.frameIndex + 1) % this.frameTimes.length;
    const snap = this.tick.snapshot;
    if (snap.seq !== this.lastSeq && snap.hops > 0) {
      this.lastSeq = snap.seq;
      if (this.firstLiveFrameAt < 0) this.firstLiveFrameAt = performance.now();
    }
    if (snap.onsetCount !== this.lastOnsetCount) {
      // Frames are slower than hops: log every onset since the last frame that the bus still holds.
      for (let n = Math.max(this.lastOnsetCount, snap.onsetCount - ONSET_RING); n < snap.onsetCount; n++) {
        this.onsetLog[this.onsetLogCount % ONSET_LOG] = snap.onsetTime(n);
        this.onsetLogCount++;
      }
      this.lastOnsetCount = snap.onsetCount;
    }
    const clock = this.tick.clock;
    if (clock.beatsCrossed > 0 && clock.bpm > 0) {
      // The beat just crossed: its time on the audio clock, whatever the frame rate.
      this.beatLog[this.beatLogCount % ONSET_LOG] = audioNow - (clock.beatPhase * 60) / clock.bpm;
      this.beatLogCount++;
    }
    this.bridge.sendOutput(nowMs, this.tick.smoothed, snap.onsetCount, snap.features[F.onsetStrength], clock);
    if (snap.hops > 0) {
      this.ages.push(audioNow - snap.audioTime);
      this.clockAges.push((this.audio.context?.currentTime ?? 0) - snap.audioTime);
    }
  }

  /**
   * Median and p99 of feature age at render over the last frames, in seconds: against the
   * audio being heard (output timestamp), or against the context's processing clock.
   */
  featureAgeStats(against: 'heard' | 'clock' = 'heard'): { median: number; p99: number; count: number } {
    const w = against === 'heard' ? this.ages : this.clockAges;
    return { median: w.quantile(0.5), p99: w.quantile(0.99), count: w.count };
  }


  /** Onset times logged so far (newest last), at most ONSET_LOG. Allocates: UI and tests only. */
  onsets(): number[] {
    const n = Math.min(this.onsetLogCount, ONSET_LOG);
    const out: number[] = [];
    for (let i = this.onsetLogCount - n; i < this.onsetLogCount; i++) out.push(this.onsetLog[i % ONSET_LOG]);
    return out;
  }

  /** Beat times logged so far (newest last). Allocates: UI and tests only. */
  beats(): number[] {
    const n = Math.min(this.beatLogCount, ONSET_LOG);
    const out: number[] = [];
    for (let i = this.beatLogCount - n; i < this.beatLogCount; i++) out.push(this.beatLog[i % ONSET_LOG]);
    return out;
  }

  resetFeatureAgeStats(): void {
    this.ages.clear();
    this.clockAges.clear();
  }

  fps(): number {
    const n = this.frameTimes.length;
    const newest = this.frameTimes[(this.frameIndex + n - 1) % n];
    const oldest = this.frameTimes[this.frameIndex];
    if (oldest <= 0 || newest <= oldest) return 0;
    return ((n - 1) * 1000) / (newest - oldest);
  }

  /** The scene whose routes the modulation matrix runs ('' before the first). */
  sceneId = '';
  private sceneInfo: SceneInfo | null = null;

  /** A scene became active: its saved (or default) routes replace the previous scene's. */
  activateScene(scene: SceneInfo): void {
    const m = this.tick.modulation;
    if (!m || scene.id === this.sceneId) return;
    this.sceneId = scene.id;
    this.sceneInfo = scene;
    activateSceneRoutes(m, scene, routeStorage(), report);
  }

  /** Scene switches with transitions; the output's scene stack follows it. */
  readonly switcher = new SceneSwitcher();

  /**
   * Switch the output to scene `id`: `{ transition: 'luma', durationBeats: 8, quantize: 'bar' }`;
   * options left out come from the /engine/transition parameters. False for an unknown scene.
   */
  switchScene(id: string, options?: SwitchOptions): boolean {
    return this.switcher.request(id, this.bank, options);
  }

  /** The incoming scene whose routes run beside the active scene's during a switch ('' when none). */
  private blendId = '';

  /**
   * Routes while the output shows `from` and brings in `to` (null: no switch running): during a
   * switch both scenes' routes run; afterwards only the shown scene's. `sceneId` (the scene the
   * modulation panel edits) becomes the incoming scene when its switch completes.
   */
  sceneRoutesFor(from: SceneInfo, to: SceneInfo | null): void {
    const m = this.tick.modulation;
    if (!m) return;
    if (from.id !== this.sceneId) {
      if (from.id === this.blendId) {
        // The incoming scene took over (switch done, reversed, or a third scene asked for).
        this.sceneId = from.id;
        this.sceneInfo = from;
        this.blendId = '';
        if (!to) keepOnlySceneRoutes(m, from.id);
      } else {
        this.blendId = '';
        this.activateScene(from);
      }
    } else if (!to && this.blendId !== '') {
      this.blendId = ''; // cancelled or failed: the incoming scene's routes go
      keepOnlySceneRoutes(m, from.id);
    }
    if (!to || to.id === this.blendId) return;
    this.blendId = to.id;
    blendSceneRoutes(m, from.id, to, routeStorage(), report);
  }

  /** Persist the active scene's routes after an edit through `tick.modulation`. */
  saveRoutes(): void {
    if (this.tick.modulation && this.sceneId) saveSceneRoutes(this.tick.modulation, this.sceneId, routeStorage(), report);
  }

  /** Drop the performer's edits: the active scene's default routes run again. */
  resetRoutes(): void {
    if (this.tick.modulation && this.sceneInfo) resetSceneRoutes(this.tick.modulation, this.sceneInfo, routeStorage(), report);
  }

  /** A preset's routes for scene `sceneId`, read when that scene's switch starts (presets hand them over before switching). */
  storeSceneRoutes(sceneId: string, routes: readonly RouteSpec[]): void {
    try {
      routeStorage()?.setItem(routesKey(sceneId), JSON.stringify(routes));
    } catch (err) {
      report('warning', `The preset's sound routes for "${sceneId}" could not be stored (${err instanceof Error ? err.message : String(err)}); its saved routes run.`);
    }
  }

  startupMs(): number {
    return this.firstLiveFrameAt < 0 ? -1 : this.firstLiveFrameAt;
  }
}

function routeStorage(): RouteStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked by the browser: routes last until reload
  }
}

let host: EngineHost | null = null;

export function getHost(): EngineHost {
  if (!host) {
    host = new EngineHost();
    if (PAGE_FIXTURE?.ok) host.useFixture(PAGE_FIXTURE.run);
    else if (PAGE_FIXTURE) report('error', PAGE_FIXTURE.message);
    // A read-only handle for diagnostics and the end-to-end tests.
    (globalThis as unknown as { glassforest: EngineHost }).glassforest = host;
    host.bridge.start();
    const set = requestedSet(location.search, PAGE_FIXTURE !== null, host.keyframes.sets);
    // The saved working state first (values, scene, set), then the default set if none was saved.
    const h = host;
    h.restored = h.autosave
      .restore({ search: location.search, fixtureMode: PAGE_FIXTURE !== null, sceneIds: SCENES.map((s) => s.id), installation: isInstallation() })
      .then((saved) => {
        const name = saved ?? set;
        if (name) void h.keyframes.load(name);
        h.autosave.start();
      });
    void h.presets.load();
    host.bridge.setMidiSink(feedMidiBytes);
    host.midi.setExternalOutput((port, bytes) => host!.bridge.sendMidi(port, bytes));
    void host.midi.start();
  }
  return host;
}
