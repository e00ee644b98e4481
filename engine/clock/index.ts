/** Musical time: the beat clock and its tempo sources. */
export { AUTO_LEADER, BeatClock, CLOCK_DEFAULTS, CLOCK_SOURCE_NAMES, ClockSource } from './beat-clock.ts';
export type { BeatClockOptions, ClockSourceId, TrackerEstimate } from './beat-clock.ts';
export { MIDI_PPQN, MidiClock } from './midi-clock.ts';
export { TAP_DEFAULTS, TapTempo } from './tap-tempo.ts';
export type { TapTempoOptions } from './tap-tempo.ts';
