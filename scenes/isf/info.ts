/**
 * ISF shaders as scenes (pure): names, parameter scopes and scene descriptions built from a
 * parsed ISF file. No React, no GL.
 */
import type { IsfShader } from '../../engine/isf/index.ts';
import { defineParams, sceneScope, type ParamDecl, type ParamDecls } from '../../engine/params/index.ts';
import type { ArchiveState, SceneInfo } from '../types.ts';

/** A file name or title as a scene-id segment: lower case letters, digits and dashes. */
export function isfSlug(name: string): string {
  const base = String(name ?? '')
    .replace(/\.[A-Za-z0-9]+$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return base === '' ? 'shader' : base;
}

/** Scene id of an ISF shader: `isf-<slug>`; its parameters live under `/scene/isf-<slug>/`. */
export function isfSceneId(name: string): string {
  return `isf-${isfSlug(name)}`;
}

/** The shader's parameter declarations, each with a description for the UI. */
export function isfParamDecls(shader: IsfShader): Record<string, ParamDecl> {
  const out: Record<string, ParamDecl> = {};
  const kind = new Map<string, string>();
  for (const u of shader.uniforms) for (const p of u.params) kind.set(p, u.inputType);
  for (const [name, d] of Object.entries(shader.params)) {
    out[name] = d.description ? d : { ...d, description: `ISF ${kind.get(name) ?? d.type} input ${name}` };
  }
  return out;
}

/**
 * Parameters of an ISF scene, or an error text when the bank would refuse them (a name the
 * parameter paths cannot carry).
 */
export function isfParams(sceneId: string, shader: IsfShader): { params: ParamDecls; error: string | null } {
  try {
    return { params: defineParams(sceneScope(sceneId), isfParamDecls(shader)), error: null };
  } catch (err) {
    return { params: defineParams(sceneScope(sceneId), {}), error: err instanceof Error ? err.message : String(err) };
  }
}

/** "glass-ripple.fs" → "Glass ripple". */
export function isfTitle(name: string): string {
  const s = isfSlug(name).replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function isfSceneInfo(fileName: string, shader: IsfShader, states: readonly ArchiveState[]): SceneInfo {
  const id = isfSceneId(fileName);
  return {
    id,
    title: `${isfTitle(fileName)} (ISF)`,
    description: shader.description || `ISF shader ${fileName}`,
    states,
    params: isfParams(id, shader).params,
  };
}

/** Problems as lines for the performer: "line 12: message". */
export function formatIsfProblems(fileName: string, problems: readonly { line: number; severity: string; message: string }[]): string[] {
  return problems.map((p) => `${fileName}, line ${p.line}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);
}
