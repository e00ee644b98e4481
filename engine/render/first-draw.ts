/**
 * First draws that prepare a program off screen. Software GL (SwiftShader) builds a program's
 * machine code at its first draw, per stage: a draw with rasterisation off builds the vertex
 * stage's, a draw that shades fragments builds the fragment stage's (and its texture samplers').
 * Doing them on separate frames, with one instance of an instanced mesh, keeps each frame short.
 */
import type { Camera, InstancedMesh, Object3D, WebGLRenderer } from 'three';

/**
 * Render `object` once with `camera` into the current target: one instance when it is an
 * instanced mesh, and with rasterisation off when `vertexOnly` (nothing is written then).
 */
export function firstDraw(gl: WebGLRenderer, object: Object3D, camera: Camera, vertexOnly: boolean): void {
  const instanced = (object as InstancedMesh).isInstancedMesh === true ? (object as InstancedMesh) : null;
  const count = instanced ? instanced.count : 0;
  if (instanced && count > 1) instanced.count = 1;
  const glc = gl.getContext() as WebGL2RenderingContext;
  if (vertexOnly) glc.enable(glc.RASTERIZER_DISCARD);
  try {
    gl.render(object, camera);
  } finally {
    if (vertexOnly) glc.disable(glc.RASTERIZER_DISCARD);
    if (instanced) instanced.count = count;
  }
}
