/** Known controllers: find a profile by port name and name a control as printed on the device. */
import { describeControl, type MidiControl, type MidiControlKind } from '../mapping.ts';
import { APC40_MK2 } from './apc40-mk2.ts';
import { LAUNCH_CONTROL_XL } from './launch-control-xl.ts';
import { MIDI_FIGHTER_TWISTER } from './midi-fighter-twister.ts';
import { NANOKONTROL2 } from './nanokontrol2.ts';
import type { ControllerProfile, ProfileControl } from './types.ts';

export type { ControllerProfile, ProfileControl } from './types.ts';
export { APC40_MK2, LAUNCH_CONTROL_XL, MIDI_FIGHTER_TWISTER, NANOKONTROL2 };

export const PROFILES: readonly ControllerProfile[] = [APC40_MK2, LAUNCH_CONTROL_XL, NANOKONTROL2, MIDI_FIGHTER_TWISTER];

/** The profile of a port by its name (Web MIDI and ALSA names contain the product name), or null. */
export function findProfile(portName: string): ControllerProfile | null {
  const n = portName.toLowerCase();
  for (const p of PROFILES) for (const f of p.portNames) if (n.includes(f)) return p;
  return null;
}

/** The profile's control at kind/channel/number, if it has one. */
export function profileControl(p: ControllerProfile | null, kind: MidiControlKind, channel: number, number: number): ProfileControl | undefined {
  if (!p) return undefined;
  for (const c of p.controls) if (c.kind === kind && c.channel === channel && c.number === number) return c;
  return undefined;
}

/** "Knob 3" on a known device, otherwise "CC 50 ch 1". */
export function controlLabel(control: MidiControl, portName = ''): string {
  const c = profileControl(findProfile(portName), control.kind, control.channel, control.number);
  return c ? c.name : describeControl(control);
}
