// Standard uniforms shared by every scene (names and meaning: engine/uniforms.ts).
uniform float uTime;
uniform vec2 uResolution;
uniform float uLevel;
uniform float uBands[3];
uniform float uBands8[8];
uniform float uOnset;
uniform float uBandOnsets[3];   // onset envelopes of low, mid, high (kick, snare, hats)
uniform float uFlux;
uniform float uCentroid;
uniform float uFlatness;
uniform float uPitch;
uniform float uPitchConfidence;
uniform float uChroma[12];
uniform float uMel[40];
uniform sampler2D uSpectrum;   // x: mel band (40), y: history row (128), r: 0..1
uniform float uSpectrumRow;    // v coordinate of the newest row
uniform float uBeatPhase;     // 0..1 through the current beat
uniform float uBarPhase;      // 0..1 through the current bar
uniform float uBeatCount;     // beats since the clock started
uniform float uBeatsPerBar;   // beats in a bar (4 by default)
uniform float uBeat;          // 1 on the beat, decaying; 0 with no tempo source
uniform float uBpm;
