/**
 * The performer's OSC aliases in the page: controller addresses (`/1/fader3`) that drive a
 * parameter. Kept like the MIDI mappings (localStorage, written as they change, read when the
 * page opens); the bridge client sends them to the bridge with the address space and resends
 * whenever they change. Pure apart from the storage it is given.
 */
import { engineAnswers, learnedAlias, validateOscAliases, type AliasContext, type OscAlias, type UnknownArg } from '../../engine/control/osc/index.ts';
import { describeError, report } from '../../engine/messages.ts';
import type { ParamBank } from '../../engine/params/index.ts';

export const OSC_ALIASES_STORAGE_KEY = 'glassforest.osc.aliases';

type Listener = () => void;

export class OscAliases {
  /** The aliases in use, in the order they were made. */
  list: readonly OscAlias[] = [];
  /** Bumped on every change (the bridge client resends, panels re-list). */
  version = 0;
  /** Addresses in use elsewhere on the page (the bank's slot addresses): an alias cannot take them. */
  otherAddresses: () => readonly (string | null)[] = () => [];
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly bank: ParamBank,
    private readonly storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage,
  ) {
    this.restore();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = (): number => this.version;

  /** What validation knows of this page: its parameters and the addresses the engine answers itself. */
  readonly context: AliasContext = {
    paramType: (path) => (this.bank.has(path) ? this.bank.declOf(this.bank.idOf(path))?.type : undefined),
    taken: (address) => engineAnswers(address, (path) => this.bank.has(path)) || this.otherAddresses().includes(address),
  };

  /**
   * Replace every alias (a preset's, the console's). Aliases to parameters that do not exist,
   * or at addresses the engine answers itself, are skipped; every problem is returned by field.
   */
  set(input: unknown, field = 'osc'): string[] {
    const r = validateOscAliases(input, this.context, field);
    this.commit(r.aliases);
    return r.problems;
  }

  /** Add one alias (a learn, or one typed in); an alias with the same address is replaced. */
  add(alias: OscAlias): string[] {
    const r = validateOscAliases([alias], this.context, 'alias');
    if (r.aliases.length === 0) return r.problems;
    const a = r.aliases[0];
    this.commit([...this.list.filter((x) => x.address !== a.address), a]);
    return r.problems;
  }

  remove(index: number): void {
    if (index < 0 || index >= this.list.length) return;
    this.commit(this.list.filter((_, i) => i !== index));
  }

  /** Native values or 0..1 through the parameter's curve. */
  setNormalized(index: number, normalized: boolean): string[] {
    const a = this.list[index];
    if (!a || a.normalized === normalized) return [];
    const r = validateOscAliases([{ ...a, normalized }], this.context, 'alias');
    if (r.aliases.length === 0) return r.problems;
    this.commit(this.list.map((x, i) => (i === index ? r.aliases[0] : x)));
    return r.problems;
  }

  /**
   * An address the bridge could not resolve, offered while a learn for `param` is armed.
   * Returns the new alias, or the reason it could not be one.
   */
  learn(param: string, address: string, arg: UnknownArg): { alias: OscAlias } | { problem: string } {
    const type = this.context.paramType(param);
    if (type === undefined) return { problem: `no parameter ${param} here` };
    const r = learnedAlias(param, type, address, arg);
    if ('problem' in r) return r;
    const problems = this.add(r.alias);
    const made = this.list.find((x) => x.address === address && x.param === param);
    return made ? { alias: made } : { problem: problems.join('; ') || 'not learned' };
  }

  private commit(list: OscAlias[]): void {
    this.list = list;
    this.version++;
    this.save();
    for (const l of this.listeners) l();
  }

  private restore(): void {
    if (!this.storage) return;
    let text: string | null = null;
    try {
      text = this.storage.getItem(OSC_ALIASES_STORAGE_KEY);
    } catch {
      return; // storage blocked: aliases live for this session only
    }
    if (!text) return;
    try {
      // Format only: a parameter a scene registers later must not lose its alias at start-up
      // (the address space leaves out aliases to parameters it does not have).
      const r = validateOscAliases(JSON.parse(text), undefined, 'saved OSC aliases');
      this.list = r.aliases;
      this.version++;
      if (r.problems.length > 0) report('warning', `Saved OSC aliases: ${r.problems.length} problem(s) — ${r.problems.slice(0, 3).join('; ')}`);
    } catch (err) {
      report('warning', `Saved OSC aliases could not be read (${describeError(err)}); starting with none.`);
    }
  }

  private save(): void {
    if (!this.storage) return;
    try {
      this.storage.setItem(OSC_ALIASES_STORAGE_KEY, JSON.stringify({ version: 1, aliases: this.list }));
    } catch (err) {
      report('warning', `OSC aliases could not be saved (${describeError(err)}); they last until reload.`);
    }
  }
}
