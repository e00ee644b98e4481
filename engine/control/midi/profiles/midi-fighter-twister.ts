/**
 * DJ TechTools MIDI Fighter Twister with its factory settings, from the Twister user guide:
 * 4 banks of 16 encoders; encoder turns send CC 0-63 (16 per bank) on channel 1, pushes send the
 * same CC numbers on channel 2 (127 / 0). Sending a CC value back on channel 1 moves the LED
 * ring; on channel 2 it sets the colour (0 = off colour, 1-125 hues, 126-127 = on colour).
 * Encoders are absolute by default; set "ENC 3FH/41H" in the Midifighter Utility and change
 * their mappings to relative-binary-offset for endless turning.
 */
import type { ControllerProfile, ProfileControl } from './types.ts';

const controls: ProfileControl[] = [];
for (let bank = 0; bank < 4; bank++) {
  for (let k = 0; k < 16; k++) {
    const n = bank * 16 + k;
    const label = bank === 0 ? `Encoder ${k + 1}` : `Encoder ${k + 1} (bank ${bank + 1})`;
    controls.push({ name: label, kind: 'cc', channel: 0, number: n });
    controls.push({ name: `Push ${label.slice(8)}`, kind: 'cc', channel: 1, number: n, mode: 'toggle', onValue: 127, offValue: 0 });
  }
}
const side: [string, number][] = [
  ['Side left 1', 8],
  ['Side left 2', 9],
  ['Side left 3', 10],
  ['Side right 1', 11],
  ['Side right 2', 12],
  ['Side right 3', 13],
];
for (const [label, n] of side) controls.push({ name: label, kind: 'cc', channel: 3, number: n, mode: 'trigger', feedback: false });

export const MIDI_FIGHTER_TWISTER: ControllerProfile = {
  id: 'djtt-midi-fighter-twister',
  name: 'DJ TechTools MIDI Fighter Twister',
  portNames: ['midi fighter twister'],
  assumes: 'factory settings (absolute encoders, CC 0-63)',
  controls,
};
