import { describe, expect, it } from 'vitest';
import { BeatClock } from '../../engine/clock/index.ts';
import { bytesPerCall } from '../../engine/params/test-alloc.ts';
import { TransitionMachine, TransitionPhase } from '../../engine/render/transition.ts';
import { runningBank } from '../../engine/presets/test-kit.ts';
import { PresetShow, type PresetShowHost } from './preset-show.ts';
import { defaultMappingSettings } from '../../engine/mapping/index.ts';
import { getMessages } from '../../engine/messages.ts';
import { snapshotOutputs } from '../output/output-store.ts';
import type { PresetStore } from './preset-store.ts';
import { MemoryPresetStore as MemoryStore } from './test-kit.ts';


/** A page-like host: the real parameter bank, beat clock and transition machine; audio time set by the test. */
function makeHost() {
  const machine = new TransitionMachine();
  machine.show('glass-forest');
  const clock = new BeatClock();
  const state = { now: 10 };
  /** What the preset show asked of the keyframe loader. */
  const kf = { onScreen: '', loading: '', calls: [] as string[] };
  const host: PresetShowHost = {
    bank: runningBank(),
    switcher: {
      machine,
      get selected() {
        return machine.to || machine.from;
      },
    },
    switchScene(id, o) {
      machine.request(id, { kind: 1, duration: 1, unit: 0, quantize: o?.quantize === 'bar' ? 2 : o?.quantize === 'beat' ? 1 : 0, easing: 1 });
      return true;
    },
    keyframes: {
      get setName() {
        return kf.onScreen;
      },
      sets: [{ name: 'dusk', manifest: null, urlOf: (f: string) => f }],
      status: () => (kf.loading !== '' ? { phase: 'loading', set: kf.loading } : { phase: 'ready', set: kf.onScreen }),
      load: async (name: string, o?: { hold?: boolean }) => {
        kf.calls.push(`load ${name}${o?.hold ? ' held' : ''}`);
        kf.loading = name;
        return true;
      },
      release: () => void kf.calls.push('release'),
      cancelLoad: () => {
        kf.calls.push('cancel');
        kf.loading = '';
      },
    },
    tick: { clock, modulation: null },
    audio: { audioNow: () => state.now },
    saveRoutes() {},
  };
  return { host, machine, clock, state, kf };
}

async function setup() {
  const h = makeHost();
  const store = new MemoryStore();
  const show = new PresetShow(h.host, store as unknown as PresetStore);
  await show.load();
  h.host.bank.setByPath('/post/bloom', 0.2);
  show.saveCurrent('Low', 'nostalgia', 'note', 'bar');
  h.host.bank.setByPath('/post/bloom', 0.8);
  show.saveCurrent('High', 'none', '', 'bar');
  return { ...h, show, store };
}

describe('preset show', () => {
  it('a bar-quantised trigger applies in the first frame at or after the next bar, not before', async () => {
    const { host, clock, state, show } = await setup();
    clock.update(10);
    clock.setTempo(120, 10);
    clock.update(10.3);
    state.now = 10.3;
    expect(show.trigger(0, 'api')).toBe(true);
    expect(show.pending).toBe(true);
    const due = show.pendingAt;
    expect(due).toBeGreaterThan(10.3);
    for (let t = 10.3; t < due; t += 1 / 60) {
      clock.update(t);
      show.frame(t);
      if (t < due) expect(host.bank.getByPath('/post/bloom')).toBeCloseTo(0.8, 5);
    }
    const t = due + 0.004;
    clock.update(t);
    show.frame(t);
    expect(show.pending).toBe(false);
    expect(host.bank.getByPath('/post/bloom')).toBeCloseTo(0.2, 5);
    expect(show.last?.dueAt).toBe(due);
    expect(show.last?.prevFrameAt).toBeLessThan(due);
    expect(show.playingSlot).toBe(0);
  });

  it('without a tempo a bar trigger switches now and says so', async () => {
    const { host, show } = await setup();
    show.trigger(0, 'key');
    expect(show.pending).toBe(false);
    expect(show.last?.noTempo).toBe(true);
    expect(show.notice).toMatch(/No tempo/);
    expect(host.bank.getByPath('/post/bloom')).toBeCloseTo(0.2, 5);
  });

  it('a scene still compiling at the bar moves the whole switch to the next bar', async () => {
    const { host, machine, clock, state, show } = await setup();
    // A preset on another scene.
    machine.show('spectral-veil');
    host.bank.setByPath('/post/bloom', 0.5);
    show.saveCurrent('Veil', 'none', '', 'bar');
    machine.show('glass-forest');
    clock.update(10);
    clock.setTempo(120, 10);
    clock.update(10.1);
    state.now = 10.1;
    show.trigger(2, 'midi');
    expect(machine.to).toBe('spectral-veil');
    expect(machine.phase).toBe(TransitionPhase.Preparing);
    const due = show.pendingAt;
    clock.update(due + 0.01);
    show.frame(due + 0.01);
    expect(show.pending).toBe(true);
    expect(show.pendingAt).toBeCloseTo(due + 2, 6);
    machine.ready();
    clock.update(due + 2.01);
    show.frame(due + 2.01);
    expect(show.pending).toBe(false);
    expect(show.last?.postponed).toBe(1);
    expect(host.bank.getByPath('/post/bloom')).toBeCloseTo(0.5, 5);
  });

  it('keys, notes, learn and the set list find their slots; edits persist', async () => {
    const { show, store } = await setup();
    show.learn(1);
    show.noteOn(9, 36);
    expect(show.bank?.entries[1].trigger.midi).toEqual({ channel: 9, note: 36 });
    expect(show.last).toBeNull(); // learning does not fire
    show.noteOn(9, 36);
    expect(show.last?.slot).toBe(1);
    expect(show.key('1')).toBe(true);
    expect(show.last?.slot).toBe(0);
    expect(show.step(1)).toBe(true);
    expect(show.last?.slot).toBe(1);
    expect(show.step(1)).toBe(false); // the end of the set list
    show.duplicate(0);
    show.rename(1, 'Low again');
    show.remove(2);
    await new Promise((r) => setTimeout(r, 0));
    const again = new PresetShow(makeHost().host, store as unknown as PresetStore);
    await again.load();
    expect(again.bank?.entries.map((e) => again.presets.get(e.preset)?.name)).toEqual(['Low', 'Low again']);
  });

  it('the frame check allocates nothing, with or without a switch waiting', async () => {
    const { clock, state, show } = await setup();
    // A constant time: a double computed in the test would be boxed by the test's own closure.
    expect(bytesPerCall(() => show.frame(20.5))).toBeLessThan(1);
    clock.update(10);
    clock.setTempo(60, 10);
    state.now = 10;
    show.trigger(0, 'api');
    // Far before the bar: the check runs every frame while the switch waits.
    show.pendingAt = 1e9;
    expect(bytesPerCall(() => show.frame(20.5))).toBeLessThan(1);
    expect(show.pending).toBe(true);
  });

  it('a quantised preset uploads its keyframe set ahead, off screen, and shows it on the bar; a replaced trigger drops it', async () => {
    const { host, clock, state, show, kf } = await setup();
    const preset = show.presets.get(show.bank!.entries[0].preset)!;
    show.presets.set(preset.id, { ...preset, keyframes: { ...preset.keyframes, set: 'dusk' } });
    clock.update(10);
    clock.setTempo(120, 10);
    clock.update(10.3);
    state.now = 10.3;
    show.trigger(0, 'api');
    expect(kf.calls).toEqual(['load dusk held']);
    const due = show.pendingAt;
    clock.update(due - 0.01);
    show.frame(due - 0.01);
    expect(kf.calls).toEqual(['load dusk held']); // not on screen before the bar
    clock.update(due + 0.004);
    show.frame(due + 0.004);
    expect(kf.calls).toEqual(['load dusk held', 'release']);
    // Fired again and replaced by a slot without a set before its bar: the upload is dropped.
    kf.loading = '';
    kf.onScreen = '';
    kf.calls.length = 0;
    state.now = due + 0.1;
    show.trigger(0, 'api');
    show.trigger(1, 'api');
    expect(kf.calls).toEqual(['load dusk held', 'cancel']);
    expect(host.bank.getByPath('/post/bloom')).toBeCloseTo(0.2, 5); // the values of slot 0, still on stage
  });

  it('presets save the projector outputs, read them back through the mapping validator, and put them back only on request', async () => {
    const h = makeHost();
    const settings = defaultMappingSettings();
    settings.cornerPin.enabled = true;
    const restored: unknown[] = [];
    const outputs = { snapshot: () => snapshotOutputs([{ id: 'left', name: 'Left', screen: '', settings }]), restore: (x: unknown) => (restored.push(x), []) };
    const store = new MemoryStore();
    const show = new PresetShow({ ...h.host, outputs }, store as unknown as PresetStore);
    await show.load();
    show.saveCurrent('Mapped', 'none', '', 'none');
    const saved = show.presets.get(show.bank!.entries[0].preset)!;
    expect((saved.outputs as { outputs: { id: string }[] }).outputs.map((o) => o.id)).toEqual(['left']);
    show.trigger(0, 'api');
    expect(restored).toEqual([]); // firing a look never moves the projectors
    expect(show.useOutputs(0)).toBe(true);
    expect((restored[0] as { outputs: { settings: { cornerPin: { enabled: boolean } } }[] }).outputs[0].settings.cornerPin.enabled).toBe(true);

    // A stored preset whose mapping is damaged loads with the rest of its outputs, naming the field.
    await new Promise((r) => setTimeout(r, 0));
    const text = store.records.get(saved.id) as string;
    const damaged = JSON.parse(text);
    damaged.outputs.outputs[0].settings.output = { width: -5, height: 'tall' };
    store.records.set(saved.id, JSON.stringify(damaged));
    const again = new PresetShow({ ...makeHost().host, outputs }, store as unknown as PresetStore);
    await again.load();
    const messages = getMessages().map((m) => m.text);
    const back = again.presets.get(saved.id)!;
    expect((back.outputs as { outputs: unknown[] }).outputs).toHaveLength(1);
    expect(messages.join(' ')).toMatch(/outputs\.outputs\[0\]\.settings\.output/);
  });
});
