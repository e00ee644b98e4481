/** Projection mapping (pure math for projector outputs): import from here. */
export {
  applyHomography,
  identityHomography,
  invertHomography,
  MappingError,
  multiplyHomography,
  QUAD_EPSILON,
  quadProblem,
  quadProblemMessage,
  quadToQuadHomography,
  squareToQuadHomography,
  toMat3,
  UNIT_QUAD,
} from './homography.ts';
export type { QuadProblem } from './homography.ts';
export {
  cloneMesh,
  createMesh,
  evaluateMesh,
  fillGridIndices,
  MESH_MAX,
  MESH_MIN,
  moveMeshPoint,
  resetMesh,
  resizeMesh,
  setMeshPoint,
  tessellateMesh,
  TESSELLATION_MAX,
  tessellationFloatCount,
  tessellationIndexCount,
  VERTEX_FLOATS,
} from './mesh.ts';
export type { MeshGrid } from './mesh.ts';
export {
  blendLight,
  blendSignal,
  defaultSoftEdges,
  fillSoftEdgeLut,
  SOFT_EDGE_CURVE_RANGE,
  SOFT_EDGE_DEFAULT,
  SOFT_EDGE_GAMMA_RANGE,
  SOFT_EDGE_LUT_SIZE,
  SOFT_EDGE_MAX_WIDTH,
  softEdgeValue,
} from './soft-edge.ts';
export type { SoftEdge, SoftEdges } from './soft-edge.ts';
export {
  isSelfIntersecting,
  MASK_MAX_FEATHER,
  MASK_MAX_POINTS,
  maskCoverage,
  pointInPolygon,
  polygonArea,
  polygonEdgeDistance,
  polygonProblem,
  triangulatePolygon,
} from './mask.ts';
export type { PolygonMask } from './mask.ts';
export {
  BAR_COLOURS,
  CORNER_COLOURS,
  EDGE_BAND_PX,
  GRID_CELLS_TALL,
  LINE_HALF_PX,
  TEST_PATTERN_IDS,
  TEST_PATTERNS,
  testPatternColour,
} from './test-pattern.ts';
export type { TestPattern } from './test-pattern.ts';
export { DEFAULT_FIT, FIT_MODES, fitTransform, nextFitMode } from './fit.ts';
export type { FitMode } from './fit.ts';
export {
  cornerPinQuad,
  defaultMappingSettings,
  MAPPING_SETTINGS_VERSION,
  maskPolygon,
  MAX_MASK_NAME,
  MAX_MASKS,
  MAX_OUTPUT_SIDE,
  MAX_PROBLEMS,
  meshFromSettings,
  meshToSettings,
  POSITION_RANGE,
  validateMappingSettings,
} from './settings.ts';
export type {
  CornerPinSettings,
  MappingSettings,
  MappingValidation,
  MaskSettings,
  MeshSettings,
  Point2,
  SoftEdgeSettings,
  TestPatternSettings,
} from './settings.ts';
