/**
 * The GLSL the engine compiles for an ISF shader: the parser's WebGL2 sources plus declarations
 * of the engine's standard uniforms the shader body uses (uLevel, uBands, ...), so ISF files
 * written for Glassforest can read the sound directly. Line offsets stay exact.
 */
import type { IsfShader } from '../../engine/isf/index.ts';
import { STANDARD_UNIFORM_NAMES } from '../../engine/uniforms.ts';
import standardUniformsGlsl from '../../shaders/lib/standard-uniforms.glsl?raw';

export interface IsfProgramSources {
  vertex: string;
  fragment: string;
  fragmentLineOffset: number;
  vertexLineOffset: number;
  /** Standard uniforms declared for this shader. */
  standard: string[];
}

const DECL = new Map<string, string>();
for (const line of standardUniformsGlsl.split('\n')) {
  const m = /^\s*uniform\s+\w+\s+(\w+)[^;]*;/.exec(line);
  if (m) DECL.set(m[1], m[0].trim());
}

export function isfProgramSources(shader: IsfShader): IsfProgramSources {
  const lines = shader.fragment.split('\n');
  const body = lines.slice(shader.fragmentLineOffset).join('\n');
  const standard: string[] = [];
  for (const name of STANDARD_UNIFORM_NAMES) {
    const re = new RegExp(`\\b${name}\\b`);
    // Declared by the file itself: leave it alone.
    const own = new RegExp(`\\buniform\\s+\\w+\\s+${name}\\b`);
    if (re.test(body) && !own.test(body) && DECL.has(name)) standard.push(name);
  }
  if (standard.length === 0) {
    return { vertex: shader.vertex, fragment: shader.fragment, fragmentLineOffset: shader.fragmentLineOffset, vertexLineOffset: shader.vertexLineOffset, standard };
  }
  const decls = standard.map((n) => DECL.get(n)!);
  const head = lines.slice(0, shader.fragmentLineOffset);
  return {
    vertex: shader.vertex,
    fragment: [...head, ...decls, body].join('\n'),
    fragmentLineOffset: shader.fragmentLineOffset + decls.length,
    vertexLineOffset: shader.vertexLineOffset,
    standard,
  };
}
