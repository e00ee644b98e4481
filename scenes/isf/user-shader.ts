/**
 * The ISF file the performer loaded (file picker or drag-and-drop). Only a file that parses and
 * compiles becomes current; a broken one is refused with its errors and the running shader stays.
 */
import { parseIsf, type IsfShader } from '../../engine/isf/index.ts';
import { report } from '../../engine/messages.ts';
import { checkIsfProgram } from './compile-check.ts';
import { formatIsfProblems, isfSceneId } from './info.ts';

/** Scene id of "the ISF file you loaded" in the scene list. */
export const ISF_USER_SCENE_ID = 'isf-file';

export interface LoadedIsf {
  fileName: string;
  /** Scope of its parameters: /scene/<sceneId>/… */
  sceneId: string;
  shader: IsfShader;
}

export interface IsfLoadResult {
  ok: boolean;
  /** Errors and warnings as "file, line n: message". */
  problems: string[];
}

let current: LoadedIsf | null = null;
/** The good file before `current`, to fall back to if the renderer refuses `current`. */
let previousGood: LoadedIsf | null = null;
let lastResult: IsfLoadResult & { fileName: string } = { ok: true, problems: [], fileName: '' };
const listeners = new Set<() => void>();

export function getUserIsf(): LoadedIsf | null {
  return current;
}

export function getLastIsfLoad(): IsfLoadResult & { fileName: string } {
  return lastResult;
}

export function subscribeUserIsf(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Parse and compile-check a file; on success it becomes the user's ISF scene. Never throws. */
export function loadUserIsf(fileName: string, source: string): IsfLoadResult {
  const name = String(fileName || 'shader.fs');
  let result: IsfLoadResult;
  try {
    const shader = parseIsf(source);
    const errors = shader.ok ? checkIsfProgram(shader) : [];
    const problems = [...shader.problems, ...errors];
    const ok = shader.ok && errors.length === 0;
    result = { ok, problems: formatIsfProblems(name, problems) };
    if (ok) {
      previousGood = current;
      current = { fileName: name, sceneId: isfSceneId(name), shader };
    }
  } catch (err) {
    result = { ok: false, problems: [`${name}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  lastResult = { ...result, fileName: name };
  if (result.ok) {
    report('info', `ISF shader ${name} loaded${result.problems.length ? ` with ${result.problems.length} warning(s)` : ''}.`);
  } else {
    const shown = result.problems.filter((p) => !p.includes(': warning: '));
    report('error', `ISF shader ${name} was not loaded; the current scene keeps running. ${shown.slice(0, 3).join(' · ')}${shown.length > 3 ? ` (+${shown.length - 3} more)` : ''}`);
  }
  for (const l of listeners) l();
  return result;
}

/**
 * The renderer refused the current file although the pre-check passed (a driver difference):
 * go back to the previous good file (or the bundled fallback) and say so.
 */
export function revertUserIsf(reason: string): void {
  const bad = current;
  if (!bad) return;
  current = previousGood;
  previousGood = null;
  lastResult = { ok: false, problems: [`${bad.fileName}, ${reason}`], fileName: bad.fileName };
  report('error', `ISF shader ${bad.fileName} failed in the renderer (${reason}); ${current ? `back to ${current.fileName}` : 'back to the bundled shader'}.`);
  for (const l of listeners) l();
}
