/**
 * Korg nanoKONTROL2 in its default CC mode, from Korg's parameter guide: everything on
 * channel 1; buttons send 127 on press and 0 on release. Button LEDs follow the host (CC value
 * 127 / 0) once "LED mode: external" is chosen in the KORG KONTROL Editor.
 */
import type { ControllerProfile, ProfileControl } from './types.ts';

const controls: ProfileControl[] = [];
for (let i = 0; i < 8; i++) controls.push({ name: `Fader ${i + 1}`, kind: 'cc', channel: 0, number: i, feedback: false });
for (let i = 0; i < 8; i++) controls.push({ name: `Knob ${i + 1}`, kind: 'cc', channel: 0, number: 16 + i, feedback: false });
const strip: [string, number][] = [
  ['S', 32],
  ['M', 48],
  ['R', 64],
];
for (const [label, first] of strip) {
  for (let i = 0; i < 8; i++) controls.push({ name: `${label} ${i + 1}`, kind: 'cc', channel: 0, number: first + i, mode: 'toggle', onValue: 127, offValue: 0 });
}
const transport: [string, number][] = [
  ['Play', 41],
  ['Stop', 42],
  ['Rewind', 43],
  ['Fast forward', 44],
  ['Record', 45],
  ['Cycle', 46],
  ['Track <', 58],
  ['Track >', 59],
  ['Marker set', 60],
  ['Marker <', 61],
  ['Marker >', 62],
];
for (const [label, n] of transport) controls.push({ name: label, kind: 'cc', channel: 0, number: n, mode: 'trigger', onValue: 127, offValue: 0 });

export const NANOKONTROL2: ControllerProfile = {
  id: 'korg-nanokontrol2',
  name: 'Korg nanoKONTROL2',
  portNames: ['nanokontrol2'],
  assumes: 'CC mode, scene 1, LED mode external for button lights',
  controls,
};
