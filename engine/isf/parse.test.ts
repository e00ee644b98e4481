import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParamBank, defineParams } from '../params/index.ts';
import { mapCompileLog, parseIsf, type IsfShader } from './index.ts';

/** Line of the first occurrence of `marker` in a text (1-based). */
function lineOf(text: string, marker: string): number {
  const i = text.indexOf(marker);
  expect(i).toBeGreaterThanOrEqual(0);
  return text.slice(0, i).split('\n').length;
}

const errors = (s: IsfShader) => s.problems.filter((p) => p.severity === 'error');
const warnings = (s: IsfShader) => s.problems.filter((p) => p.severity === 'warning');

// An ISF 2 generator in the style of the common library shaders: every scalar input type.
const V2 = `/*{
    "DESCRIPTION": "Rotating bars with a tint",
    "CREDIT": "by someone",
    "ISFVSN": "2",
    "CATEGORIES": [ "Generator", "Pattern" ],
    "INPUTS": [
        { "NAME": "width", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 1.0, "LABEL": "Bar width" },
        { "NAME": "angle", "TYPE": "float", "DEFAULT": 0.0, "MIN": -3.14159, "MAX": 3.14159 },
        { "NAME": "center", "TYPE": "point2D", "DEFAULT": [ 0.5, 0.5 ], "MIN": [ 0.0, 0.0 ], "MAX": [ 1.0, 1.0 ] },
        { "NAME": "color1", "TYPE": "color", "DEFAULT": [ 1.0, 0.5, 0.25, 0.8 ] },
        { "NAME": "mirror", "TYPE": "bool", "DEFAULT": 1 },
        { "NAME": "blendMode", "TYPE": "long", "VALUES": [ 0, 1, 4 ], "LABELS": [ "Add", "Multiply", "Screen" ], "DEFAULT": 4 },
        { "NAME": "reset", "TYPE": "event" },
        { "NAME": "inputImage", "TYPE": "image" },
        { "NAME": "waveform", "TYPE": "audio", "MAX": 512 },
        { "NAME": "fft", "TYPE": "audioFFT" }
    ]
}*/

varying vec2 fromVertex;

void main() {
    vec2 loc = isf_FragNormCoord - center;
    vec4 src = IMG_THIS_PIXEL(inputImage);
    vec4 px = IMG_PIXEL(inputImage, gl_FragCoord.xy);
    vec2 sz = IMG_SIZE(inputImage);
    float w = IMG_NORM_PIXEL(waveform, vec2(loc.x, 0.0)).r; // MARK-WAVE
    float t = TIME + TIMEDELTA + float(FRAMEINDEX + PASSINDEX) + DATE.w + RENDERSIZE.x;
    gl_FragColor = texture2D(fft, vec2(w, t)) * color1 + src + px + vec4(sz, 0.0, 0.0);
}
`;

describe('ISF headers', () => {
  it('reads an ISF 2 header: metadata, every input type mapped to parameters, textures apart', () => {
    const s = parseIsf(V2);
    expect(s.problems).toEqual([]);
    expect(s.ok).toBe(true);
    expect(s.isfVersion).toBe(2);
    expect(s.description).toBe('Rotating bars with a tint');
    expect(s.credit).toBe('by someone');
    expect(s.categories).toEqual(['Generator', 'Pattern']);
    expect(s.params).toEqual({
      width: { type: 'number', min: 0, max: 1, default: 0.25, description: 'Bar width' },
      angle: { type: 'number', min: -3.14159, max: 3.14159, default: 0 },
      'center-x': { type: 'number', min: 0, max: 1, default: 0.5 },
      'center-y': { type: 'number', min: 0, max: 1, default: 0.5 },
      color1: { type: 'color', default: [1, 0.5, 0.25] },
      mirror: { type: 'boolean', default: true },
      blendMode: { type: 'enum', options: ['Add', 'Multiply', 'Screen'], default: 2 },
      reset: { type: 'trigger' },
    });
    expect(s.uniforms.find((u) => u.name === 'blendMode')).toMatchObject({ glslType: 'int', values: [0, 1, 4] });
    expect(s.uniforms.find((u) => u.name === 'color1')).toMatchObject({ glslType: 'vec4', alpha: 0.8 });
    expect(s.uniforms.find((u) => u.name === 'center')).toMatchObject({ glslType: 'vec2', params: ['center-x', 'center-y'] });
    expect(s.uniforms.find((u) => u.name === 'reset')).toMatchObject({ glslType: 'bool', inputType: 'event' });
    expect(s.textures).toEqual([
      { name: 'inputImage', type: 'image', label: 'inputImage' },
      { name: 'waveform', type: 'audio', max: 512, label: 'waveform' },
      { name: 'fft', type: 'audioFFT', label: 'fft' },
    ]);
    expect(s.passes).toEqual([{ persistent: false, float: false }]);
  });

  it('gives declarations the parameter bank accepts as they are', () => {
    const s = parseIsf(V2);
    const decls = defineParams('/scene/isf-bars', s.params);
    const bank = new ParamBank();
    const ids = bank.register(decls);
    expect(bank.getByPath('/scene/isf-bars/blendMode')).toBe('Screen');
    expect(bank.getByPath('/scene/isf-bars/center-y')).toBe(0.5);
    expect(ids.reset).toBeGreaterThanOrEqual(0);
  });

  it('reads an ISF 1 file (no ISFVSN): vv_ names, PERSISTENT_BUFFERS as a list or an object', () => {
    const v1 = `/*{
  "CREDIT": "old style",
  "CATEGORIES": ["Feedback"],
  "INPUTS": [ { "NAME": "fade", "TYPE": "float", "DEFAULT": 0.9 } ],
  "PERSISTENT_BUFFERS": [ "accum" ],
  "PASSES": [ { "TARGET": "accum" }, {} ]
}*/
void main() {
  vec4 last = IMG_NORM_PIXEL(accum, vv_FragNormCoord);
  gl_FragColor = last * fade;
}`;
    const s = parseIsf(v1);
    expect(errors(s)).toEqual([]);
    expect(s.isfVersion).toBe(1);
    expect(s.persistentBuffers).toEqual(['accum']);
    expect(s.passes[0]).toEqual({ target: 'accum', persistent: false, float: false });
    expect(s.fragment).toContain('texture(accum, isf_FragNormCoord)');
    expect(s.fragment).not.toMatch(/vv_FragNormCoord|gl_FragColor/);
    const obj = parseIsf(v1.replace('[ "accum" ]', '{ "accum": { "FLOAT": true } }'));
    expect(obj.persistentBuffers).toEqual(['accum']);
    // ISF 1 has no audio inputs: a warning, not an error
    const audio = parseIsf(v1.replace('"TYPE": "float", "DEFAULT": 0.9 }', '"TYPE": "float", "DEFAULT": 0.9 }, { "NAME": "snd", "TYPE": "audio" }'));
    expect(audio.ok).toBe(true);
    expect(warnings(audio).map((w) => w.message)).toEqual([expect.stringMatching(/snd: audio inputs are an ISF 2 feature/)]);
  });

  it('reads PASSES with TARGET, PERSISTENT, FLOAT and size expressions', () => {
    const s = parseIsf(readFileSync(new URL('../../shaders/isf/feedback-trails.fs', import.meta.url), 'utf8'));
    expect(s.problems).toEqual([]);
    expect(s.passes).toEqual([
      { target: 'trails', persistent: true, float: true, width: undefined, height: undefined },
      { target: 'halfSize', persistent: false, float: false, width: '$WIDTH/2', height: '$HEIGHT/2' },
      { persistent: false, float: false, width: undefined, height: undefined },
    ]);
    expect(s.persistentBuffers).toEqual(['trails']);
    expect(s.textures.map((t) => `${t.name}:${t.type}:${t.max ?? ''}`)).toEqual(['inputImage:image:', 'spectrum:audioFFT:256']);
    expect(s.params['drift-y']).toEqual({ type: 'number', min: -0.02, max: 0.02, default: 0.002 });
  });

  it('reads long inputs with VALUES and LABELS, with VALUES alone, and with MIN/MAX alone', () => {
    const head = (input: string) => `/*{ "ISFVSN": "2.0", "INPUTS": [ ${input} ] }*/\nvoid main() { gl_FragColor = vec4(0.0); }`;
    const plain = parseIsf(head('{ "NAME": "n", "TYPE": "long", "VALUES": [2, 4, 8], "DEFAULT": 8 }'));
    expect(plain.params.n).toEqual({ type: 'enum', options: ['2', '4', '8'], default: 2 });
    const range = parseIsf(head('{ "NAME": "n", "TYPE": "long", "MIN": 1, "MAX": 3, "DEFAULT": 2 }'));
    expect(range.params.n).toEqual({ type: 'enum', options: ['1', '2', '3'], default: 1 });
    expect(range.uniforms[0].values).toEqual([1, 2, 3]);
    const off = parseIsf(head('{ "NAME": "n", "TYPE": "long", "VALUES": [0, 1], "LABELS": ["one"], "DEFAULT": 5 }'));
    expect(off.ok).toBe(true);
    expect(warnings(off).map((w) => w.message)).toEqual([
      expect.stringMatching(/LABELS must be 2 strings/),
      expect.stringMatching(/DEFAULT 5 is not one of VALUES/),
    ]);
    expect(off.params.n).toEqual({ type: 'enum', options: ['0', '1'], default: 0 });
    const dup = parseIsf(head('{ "NAME": "n", "TYPE": "long", "VALUES": [0, 1], "LABELS": ["Same", "Same"] }'));
    expect((dup.params.n as unknown as { options: string[] }).options).toEqual(['Same', 'Same (2)']);
  });

  it('reads IMPORTED images as an object keyed by name or as a list', () => {
    const body = '\nvoid main() { gl_FragColor = IMG_THIS_PIXEL(noiseTex); }';
    const dict = parseIsf(`/*{ "IMPORTED": { "noiseTex": { "PATH": "noise.png" } } }*/${body}`);
    const list = parseIsf(`/*{ "ISFVSN": "2", "IMPORTED": [ { "NAME": "noiseTex", "PATH": "noise.png" } ] }*/${body}`);
    for (const s of [dict, list]) {
      expect(s.problems).toEqual([]);
      expect(s.imported).toEqual([{ name: 'noiseTex', path: 'noise.png' }]);
      expect(s.fragment).toContain('uniform sampler2D noiseTex;');
    }
  });

  it('accepts a missing INPUTS and tolerates a trailing comma with a warning on its line', () => {
    const s = parseIsf('/*{\n  "DESCRIPTION": "x",\n  "INPUTS": [\n    { "NAME": "a", "TYPE": "float" },\n  ]\n}*/\nvoid main() { gl_FragColor = vec4(a); }');
    expect(s.ok).toBe(true);
    expect(warnings(s)).toEqual([{ line: 4, severity: 'warning', message: 'header JSON: trailing comma before ]' }]);
    expect(s.params.a).toEqual({ type: 'number', min: 0, max: 1, default: 0 });
    expect(parseIsf('/*{}*/ void main() { gl_FragColor = vec4(1.0); }').ok).toBe(true);
  });
});

describe('ISF problems', () => {
  it('reports malformed JSON with the line it is on', () => {
    const src = '/*{\n  "ISFVSN": "2",\n  "INPUTS": [\n    { "NAME": "a" "TYPE": "float" }\n  ]\n}*/\nvoid main() {}';
    const s = parseIsf(src);
    expect(s.ok).toBe(false);
    expect(errors(s)).toEqual([{ line: 4, severity: 'error', message: expect.stringMatching(/expected ',' or '}' after the value of "NAME"/) }]);
    expect(s.fragment).toBe('');
    const unquoted = parseIsf('/*{\n  DESCRIPTION: "x"\n}*/ void main() {}');
    expect(errors(unquoted)[0]).toMatchObject({ line: 2, message: expect.stringMatching(/expected a quoted key/) });
  });

  it('reports a missing or unclosed header and a missing main', () => {
    expect(errors(parseIsf('void main() { gl_FragColor = vec4(1.0); }'))[0].message).toMatch(/no ISF header/);
    expect(errors(parseIsf('\n\n/*{ "INPUTS": [] }\nvoid main() {}'))[0]).toMatchObject({ line: 3, message: expect.stringMatching(/never closed/) });
    expect(errors(parseIsf('/*{ "INPUTS": [] }*/\nfloat f() { return 1.0; }'))[0].message).toMatch(/no void main/);
    expect(errors(parseIsf('/*[1, 2]*/ void main() {}'))[0].message).toMatch(/must be a JSON object/);
  });

  it('names each bad input with its line and keeps the good ones', () => {
    const src = `/*{
  "INPUTS": [
    { "NAME": "good", "TYPE": "float", "MIN": 0, "MAX": 10, "DEFAULT": 20 },
    { "NAME": "noType" },
    { "TYPE": "float" },
    { "NAME": "weird", "TYPE": "matrix" },
    { "NAME": "good", "TYPE": "bool" },
    { "NAME": "TIME", "TYPE": "float" },
    { "NAME": "sample", "TYPE": "float" },
    { "NAME": "upside", "TYPE": "float", "MIN": 1, "MAX": 0 },
    { "NAME": "pt", "TYPE": "point2D", "DEFAULT": "middle" },
    "oops"
  ]
}*/
void main() { gl_FragColor = vec4(good); }`;
    const s = parseIsf(src);
    expect(s.ok).toBe(false);
    const at = (name: string) => s.problems.filter((p) => p.message.includes(name)).map((p) => `${p.line}:${p.severity}`);
    expect(at('input good: DEFAULT 20 is outside 0..10')).toEqual(['3:warning']);
    expect(at('input noType: TYPE must be one of')).toEqual(['4:error']);
    expect(at('INPUTS[2]: NAME must be a GLSL identifier')).toEqual(['2:error']);
    expect(at('input weird: TYPE must be one of')).toEqual(['6:error']);
    expect(at('input good is declared twice')).toEqual(['3:error']);
    expect(at('input TIME clashes with a built-in')).toEqual(['8:error']);
    expect(at('"sample" is a reserved word')).toEqual(['9:error']);
    expect(at('upside: MAX (0) is not above MIN (1)')).toEqual(['10:warning']);
    expect(at('pt: DEFAULT must be [x, y]')).toEqual(['11:warning']);
    expect(at('INPUTS[9] must be an object')).toEqual(['2:error']);
    expect(s.params.good).toEqual({ type: 'number', min: 0, max: 10, default: 10 });
    expect(s.params.upside).toEqual({ type: 'number', min: 1, max: 2, default: 1 });
  });

  it('reports IMG_ macros on names that are not images, and pass targets that clash', () => {
    const s = parseIsf('/*{ "ISFVSN": "2", "INPUTS": [ { "NAME": "amount", "TYPE": "float" } ], "PASSES": [ { "TARGET": "amount" }, { "TARGET": "buf", "PERSISTENT": "yes" } ] }*/\nvoid main() {\n  gl_FragColor = IMG_NORM_PIXEL(nothing, isf_FragNormCoord);\n}');
    expect(s.problems.map((p) => `${p.line}:${p.severity}:${p.message}`)).toEqual([
      expect.stringMatching(/^1:error:pass target amount clashes/),
      expect.stringMatching(/^1:warning:PASSES\[1\]: PERSISTENT should be true or false/),
    ]);
    const macro = parseIsf('/*{ "INPUTS": [] }*/\nvoid main() {\n\n  gl_FragColor = IMG_PIXEL(nothing, vec2(0.0));\n}');
    expect(macro.problems).toEqual([{ line: 4, severity: 'error', message: 'IMG_PIXEL: nothing is not an image input, pass target or imported image' }]);
    expect(macro.ok).toBe(false);
  });

  it('never throws, whatever it is given', () => {
    const junk: unknown[] = [undefined, null, 42, '', '/*', '/*{', '/*{"INPUTS": 5}*/void main(){}', `/*${'['.repeat(20000)}*/`, '/*{"PASSES": [null, 3, {"TARGET": 7}]}*/void main(){}', '/*{"IMPORTED": 5}*/void main(){}'];
    for (const j of junk) {
      const s = parseIsf(j as string);
      expect(s.ok).toBe(false);
      expect(s.problems.length).toBeGreaterThan(0);
      for (const p of s.problems) expect(p.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('ISF to WebGL2 GLSL', () => {
  it('rewrites ISF and GLSL 1 names for GLSL ES 3.00 and declares the uniforms', () => {
    const s = parseIsf(V2);
    const f = s.fragment;
    expect(f.startsWith('#version 300 es\n')).toBe(true);
    for (const decl of ['uniform float TIME;', 'uniform float TIMEDELTA;', 'uniform vec2 RENDERSIZE;', 'uniform int PASSINDEX;', 'uniform int FRAMEINDEX;', 'uniform vec4 DATE;', 'uniform float width;', 'uniform vec2 center;', 'uniform vec4 color1;', 'uniform bool mirror;', 'uniform int blendMode;', 'uniform bool reset;', 'uniform sampler2D inputImage;', 'uniform vec2 _inputImage_imgSize;', 'uniform sampler2D fft;', 'in vec2 isf_FragNormCoord;', 'out vec4 isf_FragColor;']) {
      expect(f).toContain(decl);
    }
    expect(f).toContain('in vec2 fromVertex;');
    expect(f).toContain('vec4 src = texture(inputImage, isf_FragNormCoord);');
    expect(f).toContain('vec4 px = isf_pixel_inputImage(gl_FragCoord.xy);');
    expect(f).toContain('vec2 sz = _inputImage_imgSize;');
    expect(f).toContain('float w = texture(waveform, vec2(loc.x, 0.0)).r;');
    expect(f).toContain('isf_FragColor = texture(fft, vec2(w, t)) * color1');
    expect(f).not.toMatch(/\b(gl_FragColor|texture2D|varying|IMG_\w+)\b/);
    expect(s.vertex).toContain('isf_vertShaderInit();');
  });

  it('keeps the file line numbers, so a compile error maps back to the ISF line', () => {
    const s = parseIsf(V2);
    const fileLine = lineOf(V2, 'MARK-WAVE');
    const glslLine = lineOf(s.fragment, 'MARK-WAVE');
    expect(glslLine - s.fragmentLineOffset).toBe(fileLine);
  });

  it('maps a WebGL compile log back to the lines of the ISF file', () => {
    const src = '/*{\n  "ISFVSN": "2",\n  "INPUTS": [ { "NAME": "k", "TYPE": "float" } ]\n}*/\nvoid main() {\n  float x = k;\n  vec3 broken = x;\n  gl_FragColor = vec4(x);\n}\n';
    const s = parseIsf(src);
    expect(s.ok).toBe(true);
    // The log Chromium's WebGL2 (ANGLE) printed for this very shader.
    const log = "ERROR: 0:19: '=' : dimension mismatch\nERROR: 0:19: '=' : cannot convert from 'highp float' to 'highp 3-component vector of float'\n";
    expect(s.fragmentLineOffset).toBe(12);
    expect(mapCompileLog(log, s)).toEqual([
      { line: 7, severity: 'error', message: "fragment shader: '=' : dimension mismatch" },
      { line: 7, severity: 'error', message: "fragment shader: '=' : cannot convert from 'highp float' to 'highp 3-component vector of float'" },
    ]);
    expect(src.split('\n')[6]).toBe('  vec3 broken = x;');
    expect(mapCompileLog('link failed somehow', s)).toEqual([{ line: 1, severity: 'error', message: 'fragment shader: link failed somehow' }]);
  });

  it('translates a companion vertex shader (vv_ and isf_ init, attribute/varying)', () => {
    const vs = 'varying vec2 fromVertex;\nvoid main() {\n  vv_vertShaderInit();\n  fromVertex = isf_FragNormCoord * 2.0;\n}';
    const s = parseIsf(V2, { vertex: vs });
    expect(s.vertex).toContain('out vec2 fromVertex;');
    expect(s.vertex).toContain('  isf_vertShaderInit();');
    expect(s.vertex.split('\n')[s.vertexLineOffset + 2]).toBe('  isf_vertShaderInit();');
  });

  it('parses the sample shaders shipped under shaders/isf without a problem', () => {
    for (const f of ['glass-ripple.fs', 'feedback-trails.fs']) {
      const s = parseIsf(readFileSync(new URL(`../../shaders/isf/${f}`, import.meta.url), 'utf8'));
      expect(s.problems).toEqual([]);
      expect(s.fragment.length).toBeGreaterThan(200);
    }
  });
});
