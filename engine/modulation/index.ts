/** The modulation matrix: import from here. */
export { ModulationMatrix, externalSourceIds, type RouteResult, type RouteStatus } from './matrix.ts';
export { checkRoute, describeProblems, ROUTE_CURVES } from './validate.ts';
export { LEVEL_METER_FLOOR_DB, parseSource, type SourceDesc, type SourceParse } from './sources.ts';
export type { ModulationInputs, ResolvedRoute, RouteCheck, RouteCurve, RouteProblem, RouteSpec } from './types.ts';
