/** ISF (Interactive Shader Format) parsing: import from here. */
export { parseIsf, mapCompileLog, ISF_BUILTIN_UNIFORMS, type IsfImport, type IsfInputType, type IsfParseOptions, type IsfPass, type IsfProblem, type IsfShader, type IsfTextureInput, type IsfUniform } from './parse.ts';
