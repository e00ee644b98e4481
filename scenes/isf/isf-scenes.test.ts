/**
 * ISF files as scenes: names become safe scene ids and parameter scopes, inputs become
 * parameters the bank accepts (with descriptions), pass sizes evaluate, and the engine's standard
 * uniforms are declared only when a shader uses them, with line numbers kept.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseIsf, mapCompileLog } from '../../engine/isf/index.ts';
import { ParamBank } from '../../engine/params/index.ts';
import { BUNDLED_ISF } from './bundled.ts';
import { isfParams, isfSceneId, isfSceneInfo, isfSlug } from './info.ts';
import { clampSize, compileSizeExpr } from './size-expr.ts';
import { isfProgramSources } from './sources.ts';
import { getLastIsfLoad, getUserIsf, loadUserIsf } from './user-shader.ts';
import { getMessages } from '../../engine/messages.ts';

const ripple = readFileSync(new URL('../../shaders/isf/glass-ripple.fs', import.meta.url), 'utf8');

describe('ISF scenes', () => {
  it('turns file names into scene ids and parameter scopes', () => {
    expect(isfSlug('My Ripple.fs')).toBe('my-ripple');
    expect(isfSceneId('Glass ripple (v2).FS')).toBe('isf-glass-ripple-v2');
    expect(isfSceneId('???.fs')).toBe('isf-shader');
  });

  it('registers every input as a parameter under /scene/isf-<name>/ with a description', () => {
    const shader = parseIsf(ripple);
    const info = isfSceneInfo('glass-ripple.fs', shader, ['intimacy without contact']);
    expect(info.id).toBe('isf-glass-ripple');
    const bank = new ParamBank();
    const ids = bank.register(info.params);
    expect(Object.keys(ids).sort()).toEqual(['centre-x', 'centre-y', 'flash', 'invert', 'profile', 'rings', 'speed', 'tint']);
    expect(bank.getByPath('/scene/isf-glass-ripple/rings')).toBe(12);
    expect(bank.setByPath('/scene/isf-glass-ripple/profile', 'Stepped').ok).toBe(true);
    for (const p of info.params.params) expect(p.description).not.toBe('');
  });

  it('ships bundled shaders that all parse', () => {
    expect(BUNDLED_ISF.length).toBeGreaterThanOrEqual(2);
    for (const b of BUNDLED_ISF) expect(b.shader.problems.filter((p) => p.severity === 'error'), b.fileName).toEqual([]);
  });

  it('reports a shader whose inputs cannot become parameters instead of throwing', () => {
    const shader = parseIsf(ripple);
    const r = isfParams('isf-x', { ...shader, params: { 'bad name': { type: 'number', min: 0, max: 1, default: 0 } } });
    expect(r.error).toMatch(/bad name/);
    expect(r.params.params).toEqual([]);
  });

  it('evaluates pass sizes like $WIDTH/2 and input-driven sizes', () => {
    const c = compileSizeExpr('floor($WIDTH / 2) + max(1, $scale * 3)', ['WIDTH', 'HEIGHT', 'scale']);
    if (!('expr' in c)) throw new Error(c.error);
    expect(c.expr.evaluate(new Float64Array([321, 180, 2]))).toBe(166);
    expect('error' in compileSizeExpr('$DEPTH/2', ['WIDTH', 'HEIGHT'])).toBe(true);
    expect('error' in compileSizeExpr('$WIDTH/', ['WIDTH'])).toBe(true);
    expect(clampSize(Number.NaN, 320, 4096)).toBe(320);
    expect(clampSize(0.2, 320, 4096)).toBe(1);
    expect(clampSize(1e9, 320, 4096)).toBe(4096);
  });

  it('declares the standard uniforms a shader uses, keeping compile errors on the file lines', () => {
    const src = ['/*{ "ISFVSN": "2" }*/', 'void main() {', '  float a = uLevel + uBands[0];', '  gl_FragColor = vec4(a) * oops;', '}'].join('\n');
    const shader = parseIsf(src);
    const plain = isfProgramSources(parseIsf(ripple));
    expect(plain.standard).toEqual([]);
    const s = isfProgramSources(shader);
    expect(s.standard).toEqual(['uLevel', 'uBands']);
    expect(s.fragment).toMatch(/uniform float uLevel;/);
    // The compiler's line for `oops` maps back to line 4 of the file.
    const glslLine = s.fragment.split('\n').findIndex((l) => l.includes('oops')) + 1;
    expect(mapCompileLog(`ERROR: 0:${glslLine}: 'oops' : undeclared identifier`, s)[0].line).toBe(4);
  });

  it('keeps the loaded file when a broken one is loaded after it, and says why with the line', () => {
    // (In Node there is no WebGL, so only the parser's checks run here; the e2e test covers compiling.)
    expect(loadUserIsf('My Ripple.fs', ripple).ok).toBe(true);
    expect(getUserIsf()?.sceneId).toBe('isf-my-ripple');
    const noMain = loadUserIsf('nomain.fs', '/*{ "ISFVSN": "2" }*/\n\nvoid mian() {}\n');
    expect(noMain.ok).toBe(false);
    expect(noMain.problems.join('\n')).toMatch(/nomain\.fs, line \d+: .*void main/);
    expect(getUserIsf()?.fileName).toBe('My Ripple.fs');
    expect(getLastIsfLoad().fileName).toBe('nomain.fs');
    expect(getMessages().some((m) => /nomain\.fs was not loaded; the current scene keeps running/.test(m.text))).toBe(true);
  });
});
