/** Keyframe blending (pad, crossfader, sequencer, sound-follow): import from here. */
export {
  BLEND_DEFAULTS,
  BLEND_LIMITS,
  BLEND_MODES,
  FADER_CURVES,
  KeyframeBlend,
  MAX_KEYFRAMES,
  MAX_SEQUENCE_LENGTH,
  SEQUENCER_MODES,
  SIGNATURE_FEATURE_COUNT,
  SIGNATURE_FEATURES,
} from './blend.ts';
export type { BlendMode, FaderCurve, KeyframeLoadReport, KeyframeSlot, SequencerMode, SignatureFeature } from './blend.ts';
export { ARCHIVE_STATE_LABELS, ARCHIVE_STATES, bytesForSet, formatBytes, MANIFEST_FILE, parseManifest, SIGNATURE_KEYS } from './manifest.ts';
export type { Keyframe, KeyframeManifest, KeyframeSignature, ManifestResult } from './manifest.ts';
export { chooseLayerSize, DEFAULT_BUDGET_BYTES } from './budget.ts';
export { KEYFRAME_PARAMS, KEYFRAME_SCOPE, KeyframeDeck, ONSET_RATE_FULL, STEP_CHOICES } from './deck.ts';
