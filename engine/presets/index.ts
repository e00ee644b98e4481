/**
 * Presets (pure): the versioned preset format, its reader (checks every field, migrates older
 * versions, refuses newer ones, never throws), snapshot/duplicate/rename, preset banks with
 * triggers, and show files that bundle presets, banks and keyframe images. Import from here.
 */
export {
  ID_PATTERN,
  MAX_ANNOTATION,
  MAX_MAPPINGS,
  MAX_NAME,
  MAX_PARAMS,
  MAX_ROUTES,
  PRESET_FIELDS,
  PRESET_FORMAT,
  PRESET_LIMITS,
  PRESET_VERSION,
  SET_NAME_PATTERN,
} from './format.ts';
export type { ArchiveStateKey, OscMapping, Preset, PresetArchive, PresetKeyframes, PresetRoute } from './format.ts';
export { formatProblem, MAX_PROBLEMS, type Problem, type ProblemLevel } from './problems.ts';
export type { Limits } from './guard.ts';
export { paramCatalogue, PARAM_PATH, type CatalogueEntry, type ParamCatalogue } from './values.ts';
export { archiveStateOf, type OutputsValidator, type PresetReadOptions } from './validate.ts';
export { MIGRATIONS, migrate, splitParams, v1ToV2, type MigrationStep } from './migrate.ts';
export { parsePreset, serializePreset, SHOW_FORMAT, type ParseOptions, type PresetResult } from './read.ts';
export { copyName, createPreset, duplicatePreset, presetRouteSpecs, renamePreset, type CreateOptions, type DuplicateOptions, type PresetSnapshot, type RenameResult } from './ops.ts';
export {
  BANK_LIMITS,
  bankList,
  BANKS_FORMAT,
  BANKS_VERSION,
  MAX_BANK_ENTRIES,
  MAX_BANKS,
  validateBanks,
  type BankEntry,
  type BankList,
  type BankOptions,
  type BankTrigger,
  type PresetBank,
  type TriggerQuantize,
} from './banks.ts';
export {
  exportShow,
  IMAGE_TYPES,
  importShow,
  MAX_IMAGE_BYTES,
  MAX_SHOW_IMAGE_BYTES,
  MAX_SHOW_PRESETS,
  SHOW_LIMITS,
  SHOW_VERSION,
  sniffImageType,
  type ExportOptions,
  type ImageType,
  type ImportOptions,
  type ImportResult,
  type ShowFile,
  type ShowImage,
  type ShowImageEntry,
  type ShowSet,
  type ShowSource,
} from './show.ts';
export { decodeBase64, encodeBase64 } from '../base64.ts';
export { clockHasTempo, isDue, slotForAddress, slotForKey, slotForNote, slotForOscValue, stepSlot, switchTime, type QuantiseClock, type SwitchTime } from './triggers.ts';
