/**
 * Firing presets from a bank (pure): which slot a key, a MIDI note or an OSC value names, where
 * the set list goes next, and when a quantised switch lands on the beat clock.
 *
 * Scheduling works on audio time: a switch asked for "on the next bar" gets the clock's next bar
 * start (`nextBarTime`) as its due time, and the frame whose audio time reaches it applies it.
 * A clock with no tempo leading (free-running) has no bars to wait for: the switch happens at
 * once and the result says why, so the UI can tell the performer.
 */
import type { PresetBank } from './banks.ts';
import type { TriggerQuantize } from './banks.ts';

/** What scheduling needs of the beat clock (`engine/clock/beat-clock.ts`). */
export interface QuantiseClock {
  readonly bpm: number;
  /** No tempo source leads: bars are not real, so nothing waits for them. */
  readonly freeRunning: boolean;
  nextBeatTime(now: number): number;
  nextBarTime(now: number): number;
}

export interface SwitchTime {
  /** Audio time the switch is due (now for `none`). */
  readonly at: number;
  /** The quantise used: the asked one, or 'none' when the clock has no tempo. */
  readonly quantize: TriggerQuantize;
  /** True when a beat or bar was asked for but the clock has no tempo, so the switch is now. */
  readonly noTempo: boolean;
}

/** True when the clock has a tempo a switch can wait for. */
export function clockHasTempo(clock: QuantiseClock): boolean {
  return !clock.freeRunning && Number.isFinite(clock.bpm) && clock.bpm > 0;
}

/** When a switch asked for at audio time `now` with `quantize` is due. */
export function switchTime(quantize: TriggerQuantize, clock: QuantiseClock, now: number): SwitchTime {
  if (quantize === 'none') return { at: now, quantize, noTempo: false };
  if (!clockHasTempo(clock)) return { at: now, quantize: 'none', noTempo: true };
  const at = quantize === 'bar' ? clock.nextBarTime(now) : clock.nextBeatTime(now);
  if (!Number.isFinite(at) || at < now) return { at: now, quantize: 'none', noTempo: true };
  return { at, quantize, noTempo: false };
}

/** Whether a switch due at `at` is reached in the frame at audio time `now` (NaN: nothing due). No allocation. */
export function isDue(at: number, now: number): boolean {
  return at === at && now >= at;
}

/**
 * The slot a key fires in `bank`: an entry whose trigger names the key wins; otherwise the digits
 * 1–9 fire slots 1–9 (index 0–8). -1 when the key fires nothing.
 */
export function slotForKey(bank: PresetBank | null | undefined, key: string): number {
  if (!bank) return -1;
  for (let i = 0; i < bank.entries.length; i++) if (bank.entries[i].trigger.key === key) return i;
  if (key.length === 1 && key >= '1' && key <= '9') {
    const i = key.charCodeAt(0) - 49;
    return i < bank.entries.length ? i : -1;
  }
  return -1;
}

/** The slot a MIDI note-on (channel 0..15, note 0..127) fires in `bank`, or -1. */
export function slotForNote(bank: PresetBank | null | undefined, channel: number, note: number): number {
  if (!bank) return -1;
  for (let i = 0; i < bank.entries.length; i++) {
    const m = bank.entries[i].trigger.midi;
    if (m !== null && m.channel === channel && m.note === note) return i;
  }
  return -1;
}

/** The slot a per-entry OSC address fires in `bank`, or -1. */
export function slotForAddress(bank: PresetBank | null | undefined, address: string): number {
  if (!bank) return -1;
  for (let i = 0; i < bank.entries.length; i++) if (bank.entries[i].trigger.osc === address) return i;
  return -1;
}

/**
 * The slot an `/engine/preset` value fires: a whole number >= 0 is a slot index of the bank; a
 * negative value is a preset name's code (`nameCode`), matched against the names of the bank's
 * presets. -1 when it names nothing.
 */
export function slotForOscValue(bank: PresetBank | null | undefined, value: number, nameOf: (presetId: string) => string | undefined, nameCode: (name: string) => number): number {
  if (!bank || !Number.isFinite(value)) return -1;
  if (value >= 0) {
    const i = Math.round(value);
    return i < bank.entries.length ? i : -1;
  }
  for (let i = 0; i < bank.entries.length; i++) {
    const name = nameOf(bank.entries[i].preset);
    if (name !== undefined && nameCode(name) === value) return i;
  }
  return -1;
}

/**
 * The set-list slot `steps` away from `current` (-1: none played yet) among `count` slots; stops
 * at the ends instead of wrapping (a show does not jump from the finale back to the opening).
 * -1 when the bank is empty.
 */
export function stepSlot(current: number, steps: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return steps >= 0 ? Math.min(count - 1, steps - 1 < 0 ? 0 : steps - 1) : count - 1;
  const next = current + steps;
  return next < 0 ? 0 : next >= count ? count - 1 : next;
}
