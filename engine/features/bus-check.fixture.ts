/**
 * What the concurrent feature-bus tests publish and how they recognise a torn read.
 * Hop k carries k in every slot and in every meta field derived from k, so any mix of two hops
 * in one snapshot shows as a disagreement. Shared by bus.test.ts and bus-worker.fixture.ts.
 */
import { ONSET_RING, type FeatureBusWriter, type FeatureSnapshot } from './bus.ts';

export const BUS_SAMPLE_RATE = 48000;
export const BUS_HOP = 512;
export const BUS_FRAME = 2048;
const HOP_SECONDS = BUS_HOP / BUS_SAMPLE_RATE;
/** Float32 holds integers exactly up to 2^24: the writer stops there. */
export const MAX_HOP = (1 << 24) - 1;

export function hopAudioTime(k: number): number {
  return k * HOP_SECONDS;
}

/** Hop k is an onset when k is a multiple of 3. */
export function onsetsUpTo(k: number): number {
  return Math.floor(k / 3);
}

/** Publish hop k (k >= 1, in order) with `scratch` as the caller's feature vector. */
export function publishHop(writer: FeatureBusWriter, k: number, scratch: Float32Array): void {
  scratch.fill(k);
  const onset = k % 3 === 0;
  writer.publish(scratch, hopAudioTime(k), onset, hopAudioTime(k), k, 2 * k, k);
}

/**
 * Null when `s` is exactly one whole published hop (hop 0: only the writer's constructor ran,
 * everything still zero); otherwise what disagrees.
 */
export function tornReason(s: FeatureSnapshot): string | null {
  const k = s.hops;
  if (k < 0 || k > MAX_HOP) return `hops ${k} out of range`;
  const f = s.features;
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== k) return `hops ${k} but features[${i}] = ${f[i]}`;
  }
  if (s.seq !== 2 + 2 * k) return `hops ${k} but seq ${s.seq}`;
  if (s.audioTime !== hopAudioTime(k)) return `hops ${k} but audioTime ${s.audioTime}`;
  const onsets = onsetsUpTo(k);
  if (s.onsetCount !== onsets) return `hops ${k} but onsetCount ${s.onsetCount}`;
  const lastOnset = onsets > 0 ? hopAudioTime(3 * onsets) : -1;
  if (s.lastOnsetTime !== lastOnset) return `hops ${k} but lastOnsetTime ${s.lastOnsetTime}`;
  // Onset n was published at hop 3(n + 1): the ring must agree with the count.
  for (let n = Math.max(0, onsets - ONSET_RING); n < onsets; n++) {
    const t = s.onsetTime(n);
    if (t !== hopAudioTime(3 * (n + 1))) return `hops ${k} but onset ${n} at ${t}`;
  }
  if (s.costMs !== k || s.wallMs !== 2 * k || s.overruns !== k) return `hops ${k} but cost/wall/overruns ${s.costMs}/${s.wallMs}/${s.overruns}`;
  if (s.sampleRate !== BUS_SAMPLE_RATE || s.hopSize !== BUS_HOP || s.frameSize !== BUS_FRAME) return 'wrong stream constants';
  return null;
}

/** Tallies of one reader's run, posted back by reader workers. */
export interface ReadStats {
  reads: number;
  fresh: number;
  stale: number;
  torn: number;
  firstTorn: string | null;
  /** Fresh reads whose seq did not increase, or whose onsetCount went down. */
  backwards: number;
  /** A false read that changed the caller's snapshot. */
  clobbered: number;
  retries: number;
  lastHop: number;
}

export function newReadStats(): ReadStats {
  return { reads: 0, fresh: 0, stale: 0, torn: 0, firstTorn: null, backwards: 0, clobbered: 0, retries: 0, lastHop: 0 };
}

/**
 * One read and its checks. `prev` is the reader's memory of the snapshot before this read
 * ([seq, hops, onsetCount]); updated in place.
 */
export function readAndCheck(read: (out: FeatureSnapshot) => boolean, snap: FeatureSnapshot, prev: Float64Array, st: ReadStats): void {
  const got = read(snap);
  st.reads++;
  if (!got) {
    st.stale++;
    if (snap.seq !== prev[0] || snap.hops !== prev[1] || snap.onsetCount !== prev[2]) st.clobbered++;
    return;
  }
  st.fresh++;
  const why = tornReason(snap);
  if (why !== null) {
    st.torn++;
    if (st.firstTorn === null) st.firstTorn = why;
  }
  if (snap.seq <= prev[0] || snap.onsetCount < prev[2]) st.backwards++;
  prev[0] = snap.seq;
  prev[1] = snap.hops;
  prev[2] = snap.onsetCount;
  st.lastHop = snap.hops;
}
