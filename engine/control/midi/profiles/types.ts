/** Controller profiles: the controls of a known device, named as printed on it. */
import type { MidiControlKind, MidiMappingMode } from '../mapping.ts';

export interface ProfileControl {
  /** As printed on (or obvious from) the device: "Knob 3", "Fader 8", "Pad 2,5". */
  readonly name: string;
  readonly kind: MidiControlKind;
  /** 0..15. */
  readonly channel: number;
  readonly number: number;
  /** How the control sends (relative encoders, momentary buttons); absolute when absent. */
  readonly mode?: MidiMappingMode;
  /** Button LED values for on and off (colour or brightness), as the device understands them. */
  readonly onValue?: number;
  readonly offValue?: number;
  /** False when the device cannot show this control's state. */
  readonly feedback?: boolean;
}

export interface ControllerProfile {
  readonly id: string;
  readonly name: string;
  /** Lower-case fragments of the port names the device shows up as. */
  readonly portNames: readonly string[];
  /** One line on the setting the profile assumes (template, mode). */
  readonly assumes: string;
  readonly controls: readonly ProfileControl[];
}
