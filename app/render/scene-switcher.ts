/**
 * The performer's scene switches: `request(id, options)` from the picker, OSC `/engine/scene`,
 * the ISF panel or `host.switchScene`. Options left out come from the `/engine/transition/...`
 * parameters (so OSC, MIDI and presets set the default transition). The output's scene stack
 * follows `machine`; the UI subscribes to know which scene is selected.
 */
import type { ParamBank } from '../../engine/params/index.ts';
import { report } from '../../engine/messages.ts';
import { TransitionMachine, resolveSwitch, type SwitchOptions } from '../../engine/render/transition.ts';
import { getScene } from '../../scenes/registry.ts';

export type { SwitchOptions };

export class SceneSwitcher {
  readonly machine = new TransitionMachine();
  /** Whether the incoming scene is compiled and rendered once off-screen before its blend (the bench turns it off to compare). */
  precompile = true;
  /** Where the incoming scene's preparation is (stage code and step, e.g. 31 = warming step 1, 15 = drawing the material compiled last frame), for stats and benches. */
  preparing = 0;
  private readonly listeners = new Set<() => void>();
  private seenVersion = -1;

  /** The scene the picker shows: the incoming one during a switch, else the one on screen. */
  get selected(): string {
    return this.machine.to || this.machine.from;
  }

  /** Ask for scene `id`; false (with a message) when there is no such scene. */
  request(id: string, bank: ParamBank, options?: SwitchOptions): boolean {
    if (!getScene(id)) {
      report('warning', `Unknown scene "${id}"; the current scene keeps playing.`);
      return false;
    }
    this.machine.request(id, resolveSwitch(bank, options));
    this.sync();
    return true;
  }

  /** Tell subscribers when the machine changed which scenes are mounted (call after stepping it). */
  sync(): boolean {
    if (this.machine.version === this.seenVersion) return false;
    this.seenVersion = this.machine.version;
    for (const l of this.listeners) l();
    return true;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
