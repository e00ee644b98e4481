/**
 * The evaluation's peer: essentia's offline BeatTrackerDegara over each whole clip (it sees the
 * future; ours does not), scored by the same rules, so our causal tracker's figures have a
 * reference measured in the same run.
 */
import { loadEssentiaPackageNode } from '../../workers/analysis/load-essentia-node.ts';

interface RawEssentia {
  arrayToVector(a: Float32Array): { delete(): void };
  vectorToArray(v: unknown): Float32Array;
  BeatTrackerDegara(signal: unknown): { ticks: { delete(): void } };
}

let essentia: RawEssentia | null = null;

/** Beat times (s) from essentia's offline Degara tracker; the signal must be at 44.1 kHz. */
export function offlineBeats(mono: Float32Array): number[] {
  if (!essentia) {
    const pkg = loadEssentiaPackageNode();
    essentia = new pkg.Essentia(pkg.EssentiaWASM) as unknown as RawEssentia;
  }
  const v = essentia.arrayToVector(mono);
  try {
    const r = essentia.BeatTrackerDegara(v);
    const beats = Array.from(essentia.vectorToArray(r.ticks));
    r.ticks.delete();
    return beats;
  } finally {
    v.delete();
  }
}
