/**
 * Interactive Shader Format (ISF) parser: a JSON header comment `/*{ ... }*\/` followed by
 * GLSL. Pure (no GL): reads the header (INPUTS, PASSES, PERSISTENT buffers, IMPORTED; ISF 1
 * and 2), maps inputs to parameter declarations of the bank, and rewrites the GLSL for WebGL2
 * (GLSL ES 3.00). Problems come back as a list with line numbers; nothing throws.
 */
import type { ParamDecl } from '../params/index.ts';
import { readJson } from './json.ts';

export type IsfInputType = 'float' | 'bool' | 'long' | 'color' | 'point2D' | 'event' | 'image' | 'audio' | 'audioFFT';
const INPUT_TYPES: readonly IsfInputType[] = ['float', 'bool', 'long', 'color', 'point2D', 'event', 'image', 'audio', 'audioFFT'];

export interface IsfProblem {
  /** 1-based line in the ISF file. */
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** How one GLSL uniform is fed from the parameter bank. */
export interface IsfUniform {
  /** GLSL uniform name (the ISF input NAME). */
  readonly name: string;
  readonly glslType: 'float' | 'bool' | 'int' | 'vec2' | 'vec4';
  readonly inputType: IsfInputType;
  /** Parameter names (within the shader's scope) that feed it, in component order. */
  readonly params: readonly string[];
  /** long inputs: the int sent for each enum option index. */
  readonly values?: readonly number[];
  /** color inputs: the alpha the bank does not store (from DEFAULT, else 1). */
  readonly alpha?: number;
}

/** An image, audio or audioFFT input: a texture the host supplies (plus `_<name>_imgSize`). */
export interface IsfTextureInput {
  readonly name: string;
  readonly type: 'image' | 'audio' | 'audioFFT';
  /** audio/audioFFT: requested number of samples or bins (MAX), when given. */
  readonly max?: number;
  readonly label: string;
}

export interface IsfPass {
  /** Buffer this pass renders into; undefined for the final output. */
  readonly target?: string;
  readonly persistent: boolean;
  readonly float: boolean;
  /** Size expressions as written (e.g. "$WIDTH/2"); undefined means the render size. */
  readonly width?: string;
  readonly height?: string;
}

export interface IsfImport {
  readonly name: string;
  readonly path: string;
}

export interface IsfShader {
  /** True when there are no errors (warnings allowed). */
  readonly ok: boolean;
  readonly problems: readonly IsfProblem[];
  /** ISF major version: 2 when ISFVSN starts with 2, else 1 (the spec's reading of a missing ISFVSN). */
  readonly isfVersion: 1 | 2;
  readonly vsn: string;
  readonly description: string;
  readonly credit: string;
  readonly categories: readonly string[];
  /** Parameter declarations for `defineParams(scope, params)`. */
  readonly params: Record<string, ParamDecl>;
  readonly uniforms: readonly IsfUniform[];
  readonly textures: readonly IsfTextureInput[];
  readonly passes: readonly IsfPass[];
  /** Buffers that keep their content between frames (PERSISTENT passes, ISF 1 PERSISTENT_BUFFERS). */
  readonly persistentBuffers: readonly string[];
  readonly imported: readonly IsfImport[];
  /** GLSL ES 3.00 fragment and vertex shaders for WebGL2 ('' when the file has errors). */
  readonly fragment: string;
  readonly vertex: string;
  /** Line n of the ISF file is line n + fragmentLineOffset of `fragment` (maps compile errors back). */
  readonly fragmentLineOffset: number;
  /** Line n of the given vertex source is line n + vertexLineOffset of `vertex`. */
  readonly vertexLineOffset: number;
}

export interface IsfParseOptions {
  /** The companion vertex shader (`.vs`), if any. */
  vertex?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BUILTINS = new Set(['TIME', 'TIMEDELTA', 'RENDERSIZE', 'PASSINDEX', 'FRAMEINDEX', 'DATE', 'isf_FragNormCoord', 'isf_FragColor', 'gl_FragColor']);

/** Words GLSL ES 3.00 keeps for itself (keywords, reserved words, common built-ins): not usable as names. */
const GLSL_RESERVED = new Set(
  ('attribute const uniform varying layout centroid flat smooth break continue do for while switch case default if else in out inout ' +
    'float int void bool true false invariant discard return mat2 mat3 mat4 vec2 vec3 vec4 ivec2 ivec3 ivec4 bvec2 bvec3 bvec4 uint uvec2 ' +
    'uvec3 uvec4 lowp mediump highp precision sampler2D sampler3D samplerCube struct texture sample half fixed input output filter ' +
    'long short double unsigned common partition active superp sizeof cast namespace using goto inline noinline volatile public static ' +
    'extern external interface main').split(' '),
);

/** Standard ISF uniforms the host sets every frame. */
export const ISF_BUILTIN_UNIFORMS = ['TIME', 'TIMEDELTA', 'RENDERSIZE', 'PASSINDEX', 'FRAMEINDEX', 'DATE'] as const;

function lineAt(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 50 ? `${s.slice(0, 47)}...` : s;
  } catch {
    return String(v);
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumArr = (v: unknown, n: number): v is number[] => Array.isArray(v) && v.length >= n && v.slice(0, n).every(isNum);

/** Parse an ISF file. Never throws; `problems` lists what is wrong, with file line numbers. */
export function parseIsf(source: string, opts: IsfParseOptions = {}): IsfShader {
  try {
    return parseUnsafe(typeof source === 'string' ? source : '', opts);
  } catch (e) {
    return empty([{ line: 1, severity: 'error', message: `could not read the ISF file: ${String(e)}` }]);
  }
}

function empty(problems: IsfProblem[]): IsfShader {
  return {
    ok: false,
    problems,
    isfVersion: 1,
    vsn: '',
    description: '',
    credit: '',
    categories: [],
    params: {},
    uniforms: [],
    textures: [],
    passes: [],
    persistentBuffers: [],
    imported: [],
    fragment: '',
    vertex: '',
    fragmentLineOffset: 0,
    vertexLineOffset: 0,
  };
}

function parseUnsafe(src: string, opts: IsfParseOptions): IsfShader {
  const problems: IsfProblem[] = [];
  const err = (line: number, message: string) => problems.push({ line, severity: 'error', message });
  const warn = (line: number, message: string) => problems.push({ line, severity: 'warning', message });

  // ---- the header: the first comment, which must start with /*{
  const start = src.search(/\S/);
  if (start < 0 || !src.startsWith('/*', start)) {
    err(1, 'no ISF header: the file must start with a JSON comment /*{ ... }*/');
    return empty(problems);
  }
  const close = src.indexOf('*/', start + 2);
  if (close < 0) {
    err(lineAt(src, start), 'the header comment /* is never closed with */');
    return empty(problems);
  }
  const headerText = src.slice(start + 2, close);
  const headerPos = start + 2;
  const json = readJson(headerText);
  if (!json.ok) {
    err(lineAt(src, headerPos + json.pos), `header JSON: ${json.message}`);
    return empty(problems);
  }
  for (const w of json.warnings) warn(lineAt(src, headerPos + w.pos), `header JSON: ${w.message}`);
  if (json.value === null || typeof json.value !== 'object' || Array.isArray(json.value)) {
    err(lineAt(src, headerPos), 'the header must be a JSON object { ... }');
    return empty(problems);
  }
  const h = json.value as Record<string, unknown>;
  const headerLine = lineAt(src, headerPos);
  /** Line of `"KEY": "value"` (or of the KEY) in the header, for messages about it. */
  const lineOf = (key: string, value?: string): number => {
    const pat = value === undefined ? `"${key}"` : null;
    let at = -1;
    if (pat !== null) at = headerText.indexOf(pat);
    else {
      const re = new RegExp(`"${key}"\\s*:\\s*${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      const m = re.exec(headerText);
      at = m ? m.index : -1;
    }
    return at < 0 ? headerLine : lineAt(src, headerPos + at);
  };

  const isfvsn = h.ISFVSN;
  let isfVersion: 1 | 2 = 1;
  if (isfvsn !== undefined) {
    const s = String(isfvsn);
    if (/^2(\.|$)/.test(s)) isfVersion = 2;
    else if (!/^1(\.|$)/.test(s)) warn(lineOf('ISFVSN'), `ISFVSN ${show(isfvsn)} is not 1 or 2; read as ISF 1`);
  }
  const text = (k: string): string => {
    const v = h[k];
    if (v === undefined) return '';
    if (typeof v !== 'string') {
      warn(lineOf(k), `${k} should be a string, got ${show(v)}`);
      return String(v);
    }
    return v;
  };
  const description = text('DESCRIPTION');
  const credit = text('CREDIT');
  const vsn = h.VSN === undefined ? '' : String(h.VSN);
  let categories: string[] = [];
  if (h.CATEGORIES !== undefined) {
    if (Array.isArray(h.CATEGORIES)) categories = h.CATEGORIES.filter((c): c is string => typeof c === 'string');
    else warn(lineOf('CATEGORIES'), `CATEGORIES should be a list of strings, got ${show(h.CATEGORIES)}`);
  }

  // ---- INPUTS
  const params: Record<string, ParamDecl> = {};
  const uniforms: IsfUniform[] = [];
  const textures: IsfTextureInput[] = [];
  const names = new Set<string>();
  const rawInputs = h.INPUTS === undefined ? [] : h.INPUTS;
  if (!Array.isArray(rawInputs)) err(lineOf('INPUTS'), `INPUTS must be a list of inputs, got ${show(rawInputs)}`);
  else {
    rawInputs.forEach((inp, i) => {
      if (inp === null || typeof inp !== 'object' || Array.isArray(inp)) {
        err(lineOf('INPUTS'), `INPUTS[${i}] must be an object with NAME and TYPE, got ${show(inp)}`);
        return;
      }
      const o = inp as Record<string, unknown>;
      const name = o.NAME;
      if (typeof name !== 'string' || !IDENT.test(name)) {
        err(lineOf('INPUTS'), `INPUTS[${i}]: NAME must be a GLSL identifier, got ${show(name)}`);
        return;
      }
      const line = lineOf('NAME', name);
      if (names.has(name)) {
        err(line, `input ${name} is declared twice`);
        return;
      }
      if (BUILTINS.has(name)) {
        err(line, `input ${name} clashes with a built-in ISF name`);
        return;
      }
      if (GLSL_RESERVED.has(name)) {
        err(line, `input ${name}: "${name}" is a reserved word in WebGL2's GLSL; rename the input`);
        return;
      }
      names.add(name);
      const type = o.TYPE;
      if (typeof type !== 'string' || !(INPUT_TYPES as readonly string[]).includes(type)) {
        err(line, `input ${name}: TYPE must be one of ${INPUT_TYPES.join(', ')}, got ${show(type)}`);
        return;
      }
      const label = typeof o.LABEL === 'string' ? o.LABEL : name;
      const description = label === name ? '' : label;
      const withDesc = <T extends object>(d: T): T => (description ? { ...d, description } : d);
      switch (type as IsfInputType) {
        case 'float': {
          let min = isNum(o.MIN) ? o.MIN : 0;
          let max = isNum(o.MAX) ? o.MAX : 1;
          if (o.MIN !== undefined && !isNum(o.MIN)) warn(line, `input ${name}: MIN ${show(o.MIN)} is not a number; using 0`);
          if (o.MAX !== undefined && !isNum(o.MAX)) warn(line, `input ${name}: MAX ${show(o.MAX)} is not a number; using 1`);
          if (!(max > min)) {
            warn(line, `input ${name}: MAX (${max}) is not above MIN (${min}); the range is widened to ${min}..${min + 1}`);
            max = min + 1;
          }
          let def = isNum(o.DEFAULT) ? o.DEFAULT : isNum(o.IDENTITY) ? o.IDENTITY : min;
          if (o.DEFAULT !== undefined && !isNum(o.DEFAULT)) warn(line, `input ${name}: DEFAULT ${show(o.DEFAULT)} is not a number; using ${def}`);
          if (def < min || def > max) {
            warn(line, `input ${name}: DEFAULT ${def} is outside ${min}..${max}; clamped`);
            def = Math.min(max, Math.max(min, def));
          }
          if (min > max) [min, max] = [max, min];
          params[name] = withDesc({ type: 'number', min, max, default: def });
          uniforms.push({ name, glslType: 'float', inputType: 'float', params: [name] });
          break;
        }
        case 'bool': {
          const d = o.DEFAULT;
          if (d !== undefined && typeof d !== 'boolean' && !isNum(d)) warn(line, `input ${name}: DEFAULT ${show(d)} is not true/false; using false`);
          params[name] = withDesc({ type: 'boolean', default: d === true || (isNum(d) && d >= 0.5) });
          uniforms.push({ name, glslType: 'bool', inputType: 'bool', params: [name] });
          break;
        }
        case 'event':
          params[name] = withDesc({ type: 'trigger' });
          uniforms.push({ name, glslType: 'bool', inputType: 'event', params: [name] });
          break;
        case 'long': {
          let values: number[];
          let labels: string[];
          if (o.VALUES !== undefined) {
            if (!Array.isArray(o.VALUES) || o.VALUES.length === 0 || !o.VALUES.every(isNum)) {
              err(line, `input ${name}: VALUES must be a non-empty list of numbers, got ${show(o.VALUES)}`);
              return;
            }
            values = (o.VALUES as number[]).map((v) => Math.round(v));
            if (Array.isArray(o.LABELS) && o.LABELS.length === values.length && o.LABELS.every((l) => typeof l === 'string')) labels = o.LABELS as string[];
            else {
              if (o.LABELS !== undefined) warn(line, `input ${name}: LABELS must be ${values.length} strings to match VALUES; showing the values`);
              labels = values.map(String);
            }
          } else {
            const lo = isNum(o.MIN) ? Math.round(o.MIN) : 0;
            const hi = isNum(o.MAX) ? Math.round(o.MAX) : lo;
            if (!(hi >= lo) || hi - lo > 255) {
              err(line, `input ${name}: a long needs VALUES, or MIN and MAX at most 256 apart (got ${show(o.MIN)}..${show(o.MAX)})`);
              return;
            }
            values = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
            labels = values.map(String);
          }
          // Repeated labels would make one option unreachable by name.
          const seen = new Map<string, number>();
          labels = labels.map((l) => {
            const n = (seen.get(l) ?? 0) + 1;
            seen.set(l, n);
            return n === 1 ? l : `${l} (${n})`;
          });
          let index = isNum(o.DEFAULT) ? values.indexOf(Math.round(o.DEFAULT)) : 0;
          if (index < 0) {
            warn(line, `input ${name}: DEFAULT ${show(o.DEFAULT)} is not one of VALUES; using ${values[0]}`);
            index = 0;
          }
          params[name] = withDesc({ type: 'enum', options: labels, default: index });
          uniforms.push({ name, glslType: 'int', inputType: 'long', params: [name], values });
          break;
        }
        case 'color': {
          let d = [0, 0, 0, 1];
          if (o.DEFAULT !== undefined) {
            if (isNumArr(o.DEFAULT, 3)) d = [...(o.DEFAULT as number[]).slice(0, 4), 1].slice(0, 4);
            else warn(line, `input ${name}: DEFAULT must be [r, g, b, a] with components 0..1, got ${show(o.DEFAULT)}; using black`);
          }
          const c = d.map((v) => Math.min(1, Math.max(0, v)));
          if (c.some((v, k) => v !== d[k])) warn(line, `input ${name}: DEFAULT components must be within 0..1; clamped`);
          params[name] = withDesc({ type: 'color', default: [c[0], c[1], c[2]] });
          uniforms.push({ name, glslType: 'vec4', inputType: 'color', params: [name], alpha: c[3] });
          break;
        }
        case 'point2D': {
          const def = isNumArr(o.DEFAULT, 2) ? (o.DEFAULT as number[]) : [0, 0];
          if (o.DEFAULT !== undefined && !isNumArr(o.DEFAULT, 2)) warn(line, `input ${name}: DEFAULT must be [x, y], got ${show(o.DEFAULT)}; using [0, 0]`);
          const hasRange = isNumArr(o.MIN, 2) && isNumArr(o.MAX, 2);
          if (!hasRange && (o.MIN !== undefined || o.MAX !== undefined)) warn(line, `input ${name}: MIN and MAX must both be [x, y]; range guessed`);
          if (!hasRange && (o.MIN === undefined || o.MAX === undefined)) {
            // no range: normalised coordinates unless the default says pixels
            if (def.some((v) => v < 0 || v > 1)) warn(line, `input ${name}: no MIN/MAX; range guessed from DEFAULT ${show(def)}`);
          }
          const axis = ['x', 'y'];
          const pnames: string[] = [];
          for (let k = 0; k < 2; k++) {
            let lo = hasRange ? (o.MIN as number[])[k] : Math.min(0, def[k] * 2);
            let hi = hasRange ? (o.MAX as number[])[k] : Math.max(1, def[k] * 2);
            if (!(hi > lo)) {
              warn(line, `input ${name}: MAX.${axis[k]} is not above MIN.${axis[k]}; widened`);
              hi = lo + 1;
            }
            if (lo > hi) [lo, hi] = [hi, lo];
            const pn = `${name}-${axis[k]}`;
            pnames.push(pn);
            params[pn] = withDesc({ type: 'number', min: lo, max: hi, default: Math.min(hi, Math.max(lo, def[k])) });
          }
          uniforms.push({ name, glslType: 'vec2', inputType: 'point2D', params: pnames });
          break;
        }
        default: {
          const t = type as 'image' | 'audio' | 'audioFFT';
          const tex: IsfTextureInput = isNum(o.MAX) && t !== 'image' ? { name, type: t, max: Math.round(o.MAX), label } : { name, type: t, label };
          if (isfVersion === 1 && t !== 'image') warn(line, `input ${name}: ${t} inputs are an ISF 2 feature (ISFVSN is missing or 1)`);
          textures.push(tex);
        }
      }
    });
  }

  // ---- PASSES and persistent buffers
  const passes: IsfPass[] = [];
  const persistent: string[] = [];
  const targets = new Set<string>();
  if (h.PASSES !== undefined && !Array.isArray(h.PASSES)) err(lineOf('PASSES'), `PASSES must be a list of passes, got ${show(h.PASSES)}`);
  else if (Array.isArray(h.PASSES)) {
    h.PASSES.forEach((p, i) => {
      if (p === null || typeof p !== 'object' || Array.isArray(p)) {
        err(lineOf('PASSES'), `PASSES[${i}] must be an object, got ${show(p)}`);
        return;
      }
      const o = p as Record<string, unknown>;
      let target: string | undefined;
      if (o.TARGET !== undefined) {
        if (typeof o.TARGET !== 'string' || !IDENT.test(o.TARGET)) {
          err(lineOf('PASSES'), `PASSES[${i}]: TARGET must be a GLSL identifier, got ${show(o.TARGET)}`);
          return;
        }
        target = o.TARGET;
        const line = lineOf('TARGET', target);
        if (names.has(target) || BUILTINS.has(target)) err(line, `pass target ${target} clashes with an input or built-in name`);
        if (GLSL_RESERVED.has(target)) err(line, `pass target "${target}" is a reserved word in WebGL2's GLSL; rename it`);
        if (targets.has(target)) warn(line, `pass target ${target} is written by more than one pass`);
        targets.add(target);
      }
      const flag = (k: string): boolean => {
        const v = o[k];
        if (v === undefined) return false;
        if (typeof v === 'boolean') return v;
        if (isNum(v)) return v !== 0;
        if (typeof v === 'string' && /^(true|false|0|1)$/i.test(v)) return /^(true|1)$/i.test(v);
        warn(lineOf(k), `PASSES[${i}]: ${k} should be true or false, got ${show(v)}`);
        return false;
      };
      const isPersistent = flag('PERSISTENT');
      if (isPersistent && target === undefined) warn(lineOf('PERSISTENT'), `PASSES[${i}]: PERSISTENT without a TARGET has no buffer to keep`);
      if (isPersistent && target !== undefined && !persistent.includes(target)) persistent.push(target);
      const size = (k: string): string | undefined => {
        const v = o[k];
        if (v === undefined) return undefined;
        if (typeof v === 'string' || isNum(v)) return String(v);
        warn(lineOf(k), `PASSES[${i}]: ${k} should be a number or an expression like "$WIDTH/2", got ${show(v)}`);
        return undefined;
      };
      const pass: IsfPass = { persistent: isPersistent, float: flag('FLOAT'), width: size('WIDTH'), height: size('HEIGHT'), ...(target !== undefined ? { target } : {}) };
      passes.push(pass);
    });
  }
  if (passes.length === 0) passes.push({ persistent: false, float: false });
  // ISF 1 listed persistent buffers apart from the passes: a list of names or an object of settings.
  if (h.PERSISTENT_BUFFERS !== undefined) {
    const pb = h.PERSISTENT_BUFFERS;
    const list = Array.isArray(pb) ? pb : pb !== null && typeof pb === 'object' ? Object.keys(pb) : null;
    if (list === null) warn(lineOf('PERSISTENT_BUFFERS'), `PERSISTENT_BUFFERS should be a list of buffer names, got ${show(pb)}`);
    else {
      if (isfVersion === 2) warn(lineOf('PERSISTENT_BUFFERS'), 'PERSISTENT_BUFFERS is ISF 1; ISF 2 marks passes PERSISTENT');
      for (const b of list) {
        if (typeof b !== 'string' || !IDENT.test(b)) warn(lineOf('PERSISTENT_BUFFERS'), `persistent buffer name ${show(b)} is not a GLSL identifier; ignored`);
        else {
          if (!targets.has(b)) warn(lineOf('PERSISTENT_BUFFERS'), `persistent buffer ${b} is not the TARGET of any pass`);
          if (!persistent.includes(b)) persistent.push(b);
        }
      }
    }
  }

  // ---- IMPORTED images: an object keyed by name ({ "name": { "PATH": ... } }) or a list with NAME
  const imported: IsfImport[] = [];
  if (h.IMPORTED !== undefined) {
    const im = h.IMPORTED;
    const entries: [unknown, unknown][] = Array.isArray(im)
      ? im.map((e) => [e !== null && typeof e === 'object' ? (e as Record<string, unknown>).NAME : undefined, e])
      : im !== null && typeof im === 'object'
        ? Object.entries(im as Record<string, unknown>)
        : [];
    if (entries.length === 0 && !(Array.isArray(im) || (im !== null && typeof im === 'object'))) err(lineOf('IMPORTED'), `IMPORTED must be an object or list of images, got ${show(im)}`);
    for (const [nm, e] of entries) {
      const path = e !== null && typeof e === 'object' ? (e as Record<string, unknown>).PATH : undefined;
      if (typeof nm !== 'string' || !IDENT.test(nm)) err(lineOf('IMPORTED'), `imported image name ${show(nm)} is not a GLSL identifier`);
      else if (typeof path !== 'string' || path === '') err(lineOf('IMPORTED'), `imported image ${nm} needs a PATH`);
      else if (names.has(nm) || targets.has(nm)) err(lineOf('IMPORTED'), `imported image ${nm} clashes with an input or pass target`);
      else imported.push({ name: nm, path });
    }
  }

  // ---- GLSL
  // The header is replaced by as many blank lines, so the body keeps the file's line numbers.
  const headerBlank = src.slice(0, close + 2).replace(/[^\n]/g, '');
  const body = headerBlank + src.slice(close + 2);
  if (!/\bvoid\s+main\s*\(/.test(body)) err(lineAt(src, close + 2), 'the GLSL has no void main()');

  const samplers = [...textures.map((t) => t.name), ...[...targets], ...imported.map((i) => i.name)];
  const hasErrors = problems.some((p) => p.severity === 'error');
  let fragment = '';
  let vertex = '';
  let fragmentLineOffset = 0;
  let vertexLineOffset = 0;
  if (!hasErrors) {
    const decls = declarations(uniforms, samplers);
    const fragPrelude = ['#version 300 es', 'precision highp float;', 'precision highp int;', ...decls, 'in vec2 isf_FragNormCoord;', 'out vec4 isf_FragColor;', ...helpers(samplers)];
    const fragBody = translateFragment(body, samplers, problems);
    fragmentLineOffset = fragPrelude.length;
    fragment = `${fragPrelude.join('\n')}\n${fragBody}`;
    const vsPrelude = ['#version 300 es', 'precision highp float;', 'precision highp int;', ...decls, 'in vec2 isf_Position;', 'out vec2 isf_FragNormCoord;', 'void isf_vertShaderInit() {', '  gl_Position = vec4(isf_Position, 0.0, 1.0);', '  isf_FragNormCoord = isf_Position * 0.5 + 0.5;', '}'];
    vertexLineOffset = vsPrelude.length;
    const vsBody = opts.vertex !== undefined ? translateVertex(opts.vertex) : 'void main() {\n  isf_vertShaderInit();\n}';
    vertex = `${vsPrelude.join('\n')}\n${vsBody}`;
  }
  return {
    ok: !problems.some((p) => p.severity === 'error'),
    problems: problems.sort((a, b) => a.line - b.line),
    isfVersion,
    vsn,
    description,
    credit,
    categories,
    params,
    uniforms,
    textures,
    passes,
    persistentBuffers: persistent,
    imported,
    fragment,
    vertex,
    fragmentLineOffset,
    vertexLineOffset,
  };
}

function declarations(uniforms: readonly IsfUniform[], samplers: readonly string[]): string[] {
  const out = ['uniform float TIME;', 'uniform float TIMEDELTA;', 'uniform vec2 RENDERSIZE;', 'uniform int PASSINDEX;', 'uniform int FRAMEINDEX;', 'uniform vec4 DATE;'];
  for (const u of uniforms) out.push(`uniform ${u.glslType} ${u.name};`);
  for (const s of samplers) out.push(`uniform sampler2D ${s};`, `uniform vec2 _${s}_imgSize;`);
  return out;
}

/** Per-sampler functions behind IMG_PIXEL & co., so each macro call becomes a plain call. */
function helpers(samplers: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of samplers) {
    out.push(`vec4 isf_pixel_${s}(vec2 p) { return texture(${s}, p / _${s}_imgSize); }`);
  }
  return out;
}

/** Calls `NAME(args)` in src, with balanced parentheses; `fn` returns the replacement or null to keep it. */
function replaceCalls(src: string, name: string, fn: (args: string[], at: number) => string | null): string {
  const re = new RegExp(`\\b${name}\\s*\\(`, 'g');
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    let depth = 1;
    let i = m.index + m[0].length;
    const args: string[] = [];
    let argStart = i;
    for (; i < src.length && depth > 0; i++) {
      const c = src[i];
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) args.push(src.slice(argStart, i));
      } else if (c === ',' && depth === 1) {
        args.push(src.slice(argStart, i));
        argStart = i + 1;
      }
    }
    if (depth !== 0) break;
    const rep = fn(
      args.map((a) => a.trim()),
      m.index,
    );
    if (rep === null) continue;
    // keep the line count: newlines inside the call move to the end of the replacement
    const newlines = src.slice(m.index, i).replace(/[^\n]/g, '');
    out += src.slice(last, m.index) + rep + newlines;
    last = i;
    re.lastIndex = i;
  }
  return out + src.slice(last);
}

function translateFragment(body: string, samplers: readonly string[], problems: IsfProblem[]): string {
  let s = body.replace(/^[ \t]*#version[^\n]*/m, '');
  const known = new Set(samplers);
  const lineOfPos = (at: number) => lineAt(s, at);
  const check = (macro: string, args: string[], n: number, at: number): string | null => {
    if (args.length !== n) {
      problems.push({ line: lineOfPos(at), severity: 'error', message: `${macro} takes ${n} argument${n > 1 ? 's' : ''}, got ${args.length}` });
      return null;
    }
    if (!known.has(args[0])) {
      problems.push({ line: lineOfPos(at), severity: 'error', message: `${macro}: ${args[0]} is not an image input, pass target or imported image` });
      return null;
    }
    return args[0];
  };
  s = replaceCalls(s, 'IMG_NORM_PIXEL', (a, at) => (check('IMG_NORM_PIXEL', a, 2, at) === null ? null : `texture(${a[0]}, ${a[1]})`));
  s = replaceCalls(s, 'IMG_PIXEL', (a, at) => (check('IMG_PIXEL', a, 2, at) === null ? null : `isf_pixel_${a[0]}(${a[1]})`));
  s = replaceCalls(s, 'IMG_THIS_NORM_PIXEL', (a, at) => (check('IMG_THIS_NORM_PIXEL', a, 1, at) === null ? null : `texture(${a[0]}, isf_FragNormCoord)`));
  s = replaceCalls(s, 'IMG_THIS_PIXEL', (a, at) => (check('IMG_THIS_PIXEL', a, 1, at) === null ? null : `texture(${a[0]}, isf_FragNormCoord)`));
  s = replaceCalls(s, 'IMG_SIZE', (a, at) => (check('IMG_SIZE', a, 1, at) === null ? null : `_${a[0]}_imgSize`));
  return s
    .replace(/\bgl_FragColor\b/g, 'isf_FragColor')
    .replace(/\bgl_FragData\s*\[\s*0\s*\]/g, 'isf_FragColor')
    .replace(/\bvv_FragNormCoord\b/g, 'isf_FragNormCoord')
    .replace(/\btexture2D(Rect)?\s*\(/g, 'texture(')
    .replace(/\btexture2DLod\s*\(/g, 'textureLod(')
    .replace(/^([ \t]*)varying\b/gm, '$1in');
}

function translateVertex(vs: string): string {
  return vs
    .replace(/^[ \t]*#version[^\n]*/m, '')
    .replace(/\bvv_vertShaderInit\b/g, 'isf_vertShaderInit')
    .replace(/\bvv_FragNormCoord\b/g, 'isf_FragNormCoord')
    .replace(/\btexture2D(Rect)?\s*\(/g, 'texture(')
    .replace(/^([ \t]*)varying\b/gm, '$1out')
    .replace(/^([ \t]*)attribute\b/gm, '$1in');
}

/**
 * Turn a WebGL shader info log ("ERROR: 0:19: 'x' : message") into problems on the ISF file's
 * lines, for the performer. Lines inside the generated prelude are reported on line 1.
 */
export function mapCompileLog(log: string, shader: Pick<IsfShader, 'fragmentLineOffset' | 'vertexLineOffset'>, stage: 'fragment' | 'vertex' = 'fragment'): IsfProblem[] {
  const offset = stage === 'fragment' ? shader.fragmentLineOffset : shader.vertexLineOffset;
  const out: IsfProblem[] = [];
  for (const raw of String(log ?? '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('\0')) continue;
    const m = /^(ERROR|WARNING):\s*\d+:(\d+):\s*(.*)$/.exec(line);
    if (!m) {
      out.push({ line: 1, severity: 'error', message: `${stage} shader: ${line}` });
      continue;
    }
    const fileLine = Number(m[2]) - offset;
    out.push({ line: fileLine >= 1 ? fileLine : 1, severity: m[1] === 'ERROR' ? 'error' : 'warning', message: `${stage} shader: ${m[3]}` });
  }
  return out;
}
