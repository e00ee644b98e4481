/** Test fixture: a scope with every parameter type, registered in a real bank beside the scenes. */
import { defineParams, ParamBank, type ResolvedParam } from '../../params/index.ts';
import { KEYFRAME_PARAMS } from '../../keyframes/deck.ts';
import { SCENE_INFOS } from '../../../scenes/infos.ts';
import { OscAddressSpace } from './address-space.ts';

export const ALL_TYPES = defineParams('/scene/test-all', {
  speed: { type: 'number', min: 0, max: 4, default: 1, unit: 'x', description: 'Speed' },
  cutoff: { type: 'number', min: 20, max: 20000, default: 1000, curve: 'exp', unit: 'Hz' },
  tint: { type: 'color', default: '#ff8000' },
  mirror: { type: 'boolean', default: false },
  mode: { type: 'enum', options: ['waves', 'rings', 'grid'], default: 'rings' },
  flash: { type: 'trigger' },
});

/** A bank with every scene's parameters plus ALL_TYPES, and the address space built from it. */
export function makeFixture(): { bank: ParamBank; space: OscAddressSpace; params: ResolvedParam[]; sceneIds: string[] } {
  const bank = new ParamBank();
  for (const s of SCENE_INFOS) bank.register(s.params);
  bank.register(ALL_TYPES);
  bank.register(KEYFRAME_PARAMS);
  const params: ResolvedParam[] = [];
  for (let id = 0; id < bank.count; id++) params.push(bank.declOf(id)!);
  const sceneIds = SCENE_INFOS.map((s) => s.id);
  return { bank, space: new OscAddressSpace(params, sceneIds), params, sceneIds };
}
