import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, fixtureRequest, loadFixture } from './fixture-mode.ts';

describe('fixture mode from the page address', () => {
  it('reads name, start time and freeze; no fixture means live', () => {
    expect(fixtureRequest('?scene=crowd')).toBeNull();
    expect(fixtureRequest('?fixture=dance&t=2.5&freeze=1')).toEqual({ name: 'dance', startAt: 2.5, freeze: true });
    expect(fixtureRequest('?fixture=noise&t=-4')).toEqual({ name: 'noise', startAt: 0, freeze: false });
    expect(fixtureRequest('?fixture=noise&t=abc')?.startAt).toBe(0);
  });

  it('offers the recorded fixtures and loads one at the asked time', async () => {
    expect(FIXTURE_NAMES).toEqual(['ambient', 'dance', 'near-silence', 'noise']);
    const r = await loadFixture({ name: 'dance', startAt: 2, freeze: true });
    if (!r.ok) throw new Error(r.message);
    expect(r.run.startFrame).toBe(120);
    expect(r.run.freeze).toBe(true);
  });

  it('an unknown name says which fixtures exist and that live audio keeps running', async () => {
    const r = await loadFixture({ name: 'danse', startAt: 0, freeze: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('No feature fixture "danse"; recorded ones: ambient, dance, near-silence, noise. Running on live audio.');
  });
});
