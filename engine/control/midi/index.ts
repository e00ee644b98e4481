/** MIDI in and out: parser, mappings, learn, feedback, controller profiles and the router both the page and the bridge feed. */
export { MIDI_EVENT_NAMES, MidiEvent, MidiEventType, MidiParser, isClockByte } from './parser.ts';
export type { MidiEventTypeId, MidiListener, MidiParserOptions, MidiParserStats } from './parser.ts';
export {
  MIDI_CONTROL_KINDS,
  MIDI_MAPPING_MODES,
  MidiMapper,
  controlKey,
  defaultMode,
  describeControl,
  noteName,
  relativeSteps,
  validateMappings,
} from './mapping.ts';
export type { MidiControl, MidiControlKind, MidiMapping, MidiMappingMode, MidiMappingSet, ValidationResult } from './mapping.ts';
export { MidiLearn } from './learn.ts';
export type { LearnState } from './learn.ts';
export { MidiFeedback } from './feedback.ts';
export { MidiEventQueue } from './queue.ts';
export { MidiRouter } from './router.ts';
export { MidiModulationSlots } from './mod-slots.ts';
export type { ExternalSlotSink } from './mod-slots.ts';
export type { MidiClockSink, MidiPortState, MidiRouterOptions } from './router.ts';
export { PROFILES, controlLabel, findProfile, profileControl } from './profiles/index.ts';
export type { ControllerProfile, ProfileControl } from './profiles/index.ts';
