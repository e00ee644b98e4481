/**
 * Compile an ISF program in a private, tiny WebGL2 context before it reaches the renderer, so a
 * broken shader is refused with its errors (on the ISF file's lines) and the running scene stays.
 */
import { mapCompileLog, type IsfProblem, type IsfShader } from '../../engine/isf/index.ts';
import { isfProgramSources } from './sources.ts';

let ctx: WebGL2RenderingContext | null | undefined;

function context(): WebGL2RenderingContext | null {
  if (ctx === undefined) {
    try {
      const c = document.createElement('canvas');
      c.width = c.height = 1;
      ctx = c.getContext('webgl2');
    } catch {
      ctx = null;
    }
  }
  if (ctx && ctx.isContextLost()) ctx = undefined;
  return ctx ?? null;
}

/** Errors of compiling and linking the shader; empty when it builds (or when no check is possible). */
export function checkIsfProgram(shader: IsfShader): IsfProblem[] {
  const gl = context();
  if (!gl || !shader.ok) return [];
  const src = isfProgramSources(shader);
  const out: IsfProblem[] = [];
  const vs = gl.createShader(gl.VERTEX_SHADER);
  const fs = gl.createShader(gl.FRAGMENT_SHADER);
  const prog = gl.createProgram();
  if (!vs || !fs || !prog) return [];
  try {
    gl.shaderSource(vs, src.vertex);
    gl.compileShader(vs);
    if (!gl.getShaderParameter(vs, gl.COMPILE_STATUS)) out.push(...mapCompileLog(gl.getShaderInfoLog(vs) ?? '', src, 'vertex'));
    gl.shaderSource(fs, src.fragment);
    gl.compileShader(fs);
    if (!gl.getShaderParameter(fs, gl.COMPILE_STATUS)) out.push(...mapCompileLog(gl.getShaderInfoLog(fs) ?? '', src, 'fragment'));
    if (out.length === 0) {
      gl.attachShader(prog, vs);
      gl.attachShader(prog, fs);
      gl.linkProgram(prog);
      if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) out.push({ line: 1, severity: 'error', message: `link: ${(gl.getProgramInfoLog(prog) ?? '').trim()}` });
    }
  } finally {
    gl.deleteProgram(prog);
    gl.deleteShader(vs);
    gl.deleteShader(fs);
  }
  return out.filter((p) => p.severity === 'error');
}
