/**
 * Akai APC40 mkII, from Akai's "APC40 Mk2 Communications Protocol" (v1.2), in its power-up
 * generic mode. Track strips send on the track's channel (1-8); the clip grid, knobs and
 * transport on channel 1. Clip pads light in colour from the note-on velocity (palette index:
 * 5 red, 21 green, 45 blue); the other buttons light with any non-zero velocity.
 */
import type { ControllerProfile, ProfileControl } from './types.ts';

const controls: ProfileControl[] = [];
for (let t = 0; t < 8; t++) controls.push({ name: `Fader ${t + 1}`, kind: 'cc', channel: t, number: 7 });
controls.push({ name: 'Master fader', kind: 'cc', channel: 0, number: 14 });
controls.push({ name: 'Crossfader', kind: 'cc', channel: 0, number: 15 });
for (let k = 0; k < 8; k++) controls.push({ name: `Track knob ${k + 1}`, kind: 'cc', channel: 0, number: 48 + k });
for (let k = 0; k < 8; k++) controls.push({ name: `Device knob ${k + 1}`, kind: 'cc', channel: 0, number: 16 + k });
controls.push({ name: 'Cue level', kind: 'cc', channel: 0, number: 47, mode: 'relative-twos-complement', feedback: false });
controls.push({ name: 'Tempo', kind: 'cc', channel: 0, number: 13, mode: 'relative-twos-complement', feedback: false });
// Clip grid: 5 rows × 8, note 0 at the bottom left, 39 at the top right.
for (let row = 0; row < 5; row++) {
  for (let col = 0; col < 8; col++) {
    controls.push({ name: `Pad ${row + 1},${col + 1}`, kind: 'note', channel: 0, number: (4 - row) * 8 + col, mode: 'toggle', onValue: 21, offValue: 0 });
  }
}
for (let s = 0; s < 5; s++) controls.push({ name: `Scene ${s + 1}`, kind: 'note', channel: 0, number: 82 + s, mode: 'trigger', onValue: 21, offValue: 0 });
const strip: [string, number][] = [
  ['Record arm', 48],
  ['Solo', 49],
  ['Track on', 50],
  ['Track select', 51],
  ['Clip stop', 52],
  ['A/B', 66],
];
for (const [label, note] of strip) {
  for (let t = 0; t < 8; t++) controls.push({ name: `${label} ${t + 1}`, kind: 'note', channel: t, number: note, mode: 'toggle', onValue: 127, offValue: 0 });
}
const buttons: [string, number][] = [
  ['Master', 80],
  ['Stop all clips', 81],
  ['Play', 91],
  ['Record', 93],
  ['Shift', 98],
  ['Tap tempo', 99],
  ['Nudge -', 100],
  ['Nudge +', 101],
];
for (const [label, note] of buttons) controls.push({ name: label, kind: 'note', channel: 0, number: note, mode: 'trigger', onValue: 127, offValue: 0 });

export const APC40_MK2: ControllerProfile = {
  id: 'akai-apc40-mk2',
  name: 'Akai APC40 mkII',
  portNames: ['apc40 mkii', 'apc40 mk2', 'apc40mkii'],
  assumes: 'generic mode (the power-up default)',
  controls,
};
