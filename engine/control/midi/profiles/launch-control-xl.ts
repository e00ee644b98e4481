/**
 * Novation Launch Control XL (mk1/mk2), factory template 1, from Novation's programmer's
 * reference: factory templates send on channels 9-16 (template 1 = channel 9). Buttons are
 * notes; their LEDs take a velocity of 12 + red (0-3) + 16 × green (0-3): 12 off, 15 red,
 * 60 green, 63 amber.
 */
import type { ControllerProfile, ProfileControl } from './types.ts';

const CH = 8;
const controls: ProfileControl[] = [];
const rows: [string, number][] = [
  ['Send A', 13],
  ['Send B', 29],
  ['Pan', 49],
];
rows.forEach(([label, first], r) => {
  for (let k = 0; k < 8; k++) controls.push({ name: `Knob ${r * 8 + k + 1} (${label} ${k + 1})`, kind: 'cc', channel: CH, number: first + k, feedback: false });
});
for (let f = 0; f < 8; f++) controls.push({ name: `Fader ${f + 1}`, kind: 'cc', channel: CH, number: 77 + f, feedback: false });
const focus = [41, 42, 43, 44, 57, 58, 59, 60];
const control = [73, 74, 75, 76, 89, 90, 91, 92];
focus.forEach((n, i) => controls.push({ name: `Track focus ${i + 1}`, kind: 'note', channel: CH, number: n, mode: 'toggle', onValue: 60, offValue: 12 }));
control.forEach((n, i) => controls.push({ name: `Track control ${i + 1}`, kind: 'note', channel: CH, number: n, mode: 'toggle', onValue: 63, offValue: 12 }));
const side: [string, number][] = [
  ['Device', 105],
  ['Mute', 106],
  ['Solo', 107],
  ['Record arm', 108],
];
for (const [label, n] of side) controls.push({ name: label, kind: 'note', channel: CH, number: n, mode: 'toggle', onValue: 62, offValue: 12 });
const arrows: [string, number][] = [
  ['Up', 104],
  ['Down', 105],
  ['Left', 106],
  ['Right', 107],
];
for (const [label, n] of arrows) controls.push({ name: label, kind: 'cc', channel: CH, number: n, mode: 'trigger', onValue: 127, offValue: 0 });

export const LAUNCH_CONTROL_XL: ControllerProfile = {
  id: 'novation-launch-control-xl',
  name: 'Novation Launch Control XL',
  portNames: ['launch control xl'],
  assumes: 'factory template 1 (channel 9)',
  controls,
};
