/** The parameter bank and its declarations: import from here. */
export { ParamBank, type RestoreOptions } from './bank.ts';
export { defineParams, checkParamDecls, normalizeScope, sceneScope, ENGINE_SCOPE, ParamDeclError } from './define.ts';
export { fromNormalized, toNormalized } from './curves.ts';
export { parseBoolean, parseColor, parseEnum, parseNumber, toHex, type Parsed, type Rgb } from './sanitize.ts';
export type {
  BooleanParamDecl,
  ColorInput,
  ColorParamDecl,
  EnumParamDecl,
  NumberParamDecl,
  ParamCurve,
  ParamDecl,
  ParamDecls,
  ParamDescription,
  ParamId,
  ParamSnapshot,
  ParamType,
  ParamValue,
  ResolvedParam,
  RestoreReport,
  SetResult,
  TriggerParamDecl,
} from './types.ts';
