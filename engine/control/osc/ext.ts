/**
 * OSC as modulation sources: `/ext/<name> <float>` sets the modulation matrix's external slot
 * `<name>` (route source `ext:<name>`), e.g. `/ext/touchosc/fader1 0.7` feeds `ext:touchosc/fader1`.
 * Names are open-ended, so the bridge numbers them as they first arrive and tells the page
 * (`{type: 'ext', slot, name}`, before any record for it); records for slot k carry entry index
 * `space.entries.length + k`, so the page applies them on the frame tick like every other record.
 */

export const EXT_PREFIX = '/ext/';
/** Distinct /ext/ names per bridge session; later new names are refused (counted as unknown addresses). */
export const MAX_OSC_EXT = 256;
export const MAX_EXT_NAME_LENGTH = 64;

/** Bridge -> page: OSC ext slot `slot` carries the modulation slot `name`. */
export interface ExtMessage {
  type: 'ext';
  slot: number;
  name: string;
}

/** The slot name of an /ext/ address, or null when the address is not one or the name is unusable. */
export function extNameOf(address: string): string | null {
  if (!address.startsWith(EXT_PREFIX)) return null;
  const name = address.slice(EXT_PREFIX.length);
  return isExtName(name) ? name : null;
}

/** A name the matrix accepts after `ext:` (no spaces), of bounded length. */
export function isExtName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && name.length <= MAX_EXT_NAME_LENGTH && !/\s/.test(name);
}

/** The bridge's numbering of /ext/ names (first come, first numbered). */
export class OscExtNames {
  readonly names: string[] = [];
  private readonly byAddress = new Map<string, number>();

  /**
   * Slot of an /ext/ address: a known one, or a new one (then `isNew(k)` is true until the
   * next call), or -1 when the address is not /ext/, the name is unusable or the slots are full.
   */
  resolve(address: string): number {
    const known = this.byAddress.get(address);
    this.fresh = -1;
    if (known !== undefined) return known;
    const name = extNameOf(address);
    if (name === null || this.names.length >= MAX_OSC_EXT) return -1;
    const k = this.names.length;
    this.names.push(name);
    this.byAddress.set(address, k);
    this.fresh = k;
    return k;
  }

  /** True when the last `resolve` numbered a new name. */
  isNew(k: number): boolean {
    return k >= 0 && k === this.fresh;
  }

  private fresh = -1;
}
