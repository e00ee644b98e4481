/**
 * Presets and the performer's mappings: saving captures the MIDI mappings and OSC aliases, firing
 * never replaces them, "use its mappings" does (validated, one step undoable), an import into a
 * profile without mappings takes the show's; and slot OSC addresses reach the bridge link.
 */
import { describe, expect, it } from 'vitest';
import { BeatClock } from '../../engine/clock/index.ts';
import type { MidiMapping } from '../../engine/control/midi/index.ts';
import type { UnknownArg } from '../../engine/control/osc/index.ts';
import { getMessages } from '../../engine/messages.ts';
import { parsePreset, serializePreset } from '../../engine/presets/index.ts';
import { runningBank } from '../../engine/presets/test-kit.ts';
import { TransitionMachine } from '../../engine/render/transition.ts';
import { MidiInput } from '../control/midi-input.ts';
import { OscAliases } from '../control/osc-aliases.ts';
import { PresetShow, type PresetShowHost } from './preset-show.ts';
import type { PresetStore } from './preset-store.ts';
import { MemoryPresetStore as MemoryStore } from './test-kit.ts';

/** The bridge link as the preset show sees it: real aliases, recorded slot addresses and learn. */
function fakeBridge(bank: ReturnType<typeof runningBank>) {
  const sent: (string | null)[][] = [];
  const learn = { label: '', handler: null as null | ((a: string, arg: UnknownArg) => string | null), onEnd: null as null | (() => void) };
  return {
    sent,
    learn,
    aliases: new OscAliases(bank, null),
    setSlotAddresses(a: readonly (string | null)[]) {
      sent.push([...a]);
    },
    armOscLearn(label: string, handler: (a: string, arg: UnknownArg) => string | null, onEnd?: () => void) {
      learn.onEnd?.();
      Object.assign(learn, { label, handler, onEnd: onEnd ?? null });
    },
    cancelOscLearn() {
      const end = learn.onEnd;
      Object.assign(learn, { label: '', handler: null, onEnd: null });
      end?.();
    },
    /** What the bridge client does with an unknown address while learning. */
    offer(address: string, arg: UnknownArg): string | null {
      const problem = learn.handler!(address, arg);
      if (problem === null) this.cancelOscLearn();
      return problem;
    },
  };
}

async function setup() {
  const machine = new TransitionMachine();
  machine.show('glass-forest');
  const clock = new BeatClock();
  const bank = runningBank();
  const midi = new MidiInput(bank, null, () => 0, null);
  const bridge = fakeBridge(bank);
  const host: PresetShowHost = {
    bank,
    switcher: {
      machine,
      get selected() {
        return machine.to || machine.from;
      },
    },
    switchScene: () => true,
    keyframes: { setName: '', sets: [], status: () => ({ phase: 'ready', set: '' }), load: async () => true, release() {}, cancelLoad() {} },
    tick: { clock, modulation: null },
    audio: { audioNow: () => 10 },
    saveRoutes() {},
    midi,
    bridge,
  };
  const show = new PresetShow(host, new MemoryStore() as unknown as PresetStore);
  await show.load();
  return { host, show, midi, bridge, bank };
}

const CC74: MidiMapping = { control: { kind: 'cc', channel: 0, number: 74 }, param: '/post/bloom', mode: 'absolute' };
const CC20: MidiMapping = { control: { kind: 'cc', channel: 0, number: 20 }, param: '/scene/glass-forest/sway', mode: 'absolute' };

describe('presets hold MIDI and OSC mappings', () => {
  it('saving captures the current mappings, and they survive the file round trip', async () => {
    const { show, midi, bridge } = await setup();
    midi.setMappings([CC74]);
    bridge.aliases.set([{ address: '/1/fader3', param: '/post/bloom', normalized: true }]);
    const p = show.saveCurrent('With mappings', 'none', '', 'none');
    expect(p.midi).toEqual([expect.objectContaining({ control: CC74.control, param: '/post/bloom' })]);
    expect(p.osc).toEqual([{ address: '/1/fader3', param: '/post/bloom', normalized: true }]);
    const back = parsePreset(serializePreset(p));
    expect(back.ok && back.preset.midi).toEqual(p.midi);
    expect(back.ok && back.preset.osc).toEqual(p.osc);
  });

  it('firing a preset keeps the performer\'s mappings; "use its mappings" replaces them (unknown parameters named and skipped) and one step restores them', async () => {
    const { show, midi, bridge, host } = await setup();
    midi.setMappings([CC74]);
    bridge.aliases.set([{ address: '/1/fader3', param: '/post/bloom', normalized: true }]);
    show.saveCurrent('A', 'none', '', 'none');
    // Another look, mapped differently, with mappings to parameters this page does not have.
    const stored = show.saveCurrent('B', 'none', '', 'none');
    const withUnknown = parsePreset({
      ...JSON.parse(serializePreset(stored)),
      midi: [CC20, { control: { kind: 'cc', channel: 0, number: 21 }, param: '/scene/gone/speed' }],
      osc: [{ address: '/mix/sway', param: '/scene/glass-forest/sway', normalized: true }, { address: '/mix/gone', param: '/scene/gone/speed', normalized: false }],
    });
    expect(withUnknown.ok).toBe(true);
    if (!withUnknown.ok) return;
    show.presets.set(stored.id, withUnknown.preset);
    // Firing B leaves the mappings alone.
    expect(show.trigger(1, 'click')).toBe(true);
    expect(midi.mappings.map((m) => m.control.number)).toEqual([74]);
    expect(bridge.aliases.list.map((a) => a.address)).toEqual(['/1/fader3']);
    // Use its mappings.
    const before = getMessages()[0]?.id ?? -1;
    const r = show.useMappings(1);
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual(['midi[1].param: no parameter "/scene/gone/speed" here; skipped', 'osc[1].param: no parameter "/scene/gone/speed" here; skipped']);
    expect(midi.mappings.map((m) => [m.control.number, m.param])).toEqual([[20, '/scene/glass-forest/sway']]);
    expect(bridge.aliases.list).toEqual([{ address: '/mix/sway', param: '/scene/glass-forest/sway', normalized: true }]);
    expect(getMessages().filter((m) => m.id > before).map((m) => m.text).join('\n')).toMatch(/midi\[1\]\.param/);
    expect(show.previousMappings?.by).toBe('B');
    // The new MIDI mapping works.
    expect(host.bank.getByPath('/scene/glass-forest/sway')).toBeCloseTo(0.4, 5);
    midi.feedMidiBytes('pads', new Uint8Array([0xb0, 20, 127]), 0);
    midi.frame(0);
    expect(host.bank.getByPath('/scene/glass-forest/sway')).toBeCloseTo(host.bank.declOf(host.bank.idOf('/scene/glass-forest/sway'))!.max, 5);
    // One step back.
    expect(show.restorePreviousMappings()).toBe(true);
    expect(midi.mappings.map((m) => m.control.number)).toEqual([74]);
    expect(bridge.aliases.list.map((a) => a.address)).toEqual(['/1/fader3']);
    expect(show.previousMappings).toBeNull();
    expect(show.restorePreviousMappings()).toBe(false);
    // A preset without mappings offers nothing to use.
    midi.setMappings([]);
    bridge.aliases.set([]);
    const empty = show.saveCurrent('Empty', 'none', '', 'none');
    expect(empty.midi).toEqual([]);
    expect(show.useMappings(2)).toEqual({ ok: false, problems: [] });
  });

  it('an imported show gives its first mapped preset\'s mappings to a profile without any, and says so; never replaces existing ones', async () => {
    const { show, midi, bridge } = await setup();
    midi.setMappings([CC74]);
    bridge.aliases.set([{ address: '/1/fader3', param: '/post/bloom', normalized: true }]);
    const mapped = show.saveCurrent('Mapped', 'none', '', 'none');
    midi.setMappings([]);
    bridge.aliases.set([]);
    const bare = show.saveCurrent('Bare', 'none', '', 'none');
    const before = getMessages()[0]?.id ?? -1;
    expect(show.adoptShowMappings([bare, mapped])?.name).toBe('Mapped');
    expect(midi.mappings.map((m) => m.control.number)).toEqual([74]);
    expect(bridge.aliases.list.map((a) => a.address)).toEqual(['/1/fader3']);
    expect(getMessages().filter((m) => m.id > before).map((m) => m.text).join('\n')).toMatch(/no MIDI or OSC mappings: it now uses those of "Mapped"/);
    // The profile has mappings now: a later import leaves them.
    midi.setMappings([CC20]);
    expect(show.adoptShowMappings([mapped])).toBeNull();
    expect(midi.mappings.map((m) => m.control.number)).toEqual([20]);
  });
});

describe('a slot\'s own OSC address', () => {
  it('is typed or learned, unique in the bank, refused when the engine already answers it, and handed to the bridge on the frame', async () => {
    const { show, bridge } = await setup();
    show.saveCurrent('Dusk', 'none', '', 'none');
    show.saveCurrent('Glare', 'none', '', 'bar');
    show.frame(10);
    expect(bridge.sent.at(-1)).toEqual([null, null]);
    expect(show.setSlotAddress(0, '/set/dusk')).toBeNull();
    expect(show.setSlotAddress(1, '/post/bloom')).toMatch(/already an address of the engine/);
    expect(show.setSlotAddress(1, '/engine/preset')).toMatch(/already an address of the engine/);
    expect(show.setSlotAddress(1, '/set glare')).toMatch(/not a plain OSC address/);
    bridge.aliases.set([{ address: '/1/fader3', param: '/post/bloom', normalized: true }]);
    expect(show.setSlotAddress(1, '/1/fader3')).toMatch(/already a controller alias/);
    const sends = bridge.sent.length;
    show.frame(10.01);
    expect(bridge.sent.length).toBe(sends + 1);
    expect(bridge.sent.at(-1)).toEqual(['/set/dusk', null]);
    show.frame(10.02); // nothing changed: nothing sent
    expect(bridge.sent.length).toBe(sends + 1);
    // learn: a string is refused (learn stays armed), a button press is taken, and takes the address from slot 0
    expect(show.learnSlotAddress(1)).toBe(true);
    expect(bridge.learn.label).toBe('slot 2');
    expect(bridge.offer('/1/label', 'string')).toMatch(/sent a string/);
    expect(show.oscLearnSlot).toBe(1);
    expect(bridge.offer('/set/dusk', 'number')).toBeNull();
    expect(show.oscLearnSlot).toBe(-1);
    expect(show.bank?.entries.map((e) => e.trigger.osc)).toEqual([null, '/set/dusk']);
    show.frame(10.03);
    expect(bridge.sent.at(-1)).toEqual([null, '/set/dusk']);
    // OSC fires it through the /engine/preset path (slot index), honouring its quantise
    show.oscPreset(1);
    expect(show.last?.name).toBe('Glare');
    expect(show.last?.source).toBe('osc');
    // cleared
    expect(show.setSlotAddress(1, null)).toBeNull();
    expect(show.bank?.entries[1].trigger.osc).toBeNull();
  });
});
