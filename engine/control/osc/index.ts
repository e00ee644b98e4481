/** OSC control: codec, address space, type-tag coercion, flood control, page-side applier, OSCQuery JSON. */
export * from './codec.ts';
export * from './address-space.ts';
export * from './coerce.ts';
export * from './coalesce.ts';
export * from './schedule.ts';
export * from './wire.ts';
export * from './apply.ts';
export * from './values.ts';
export * from './oscquery.ts';
export * from './ext.ts';
export * from './aliases.ts';
