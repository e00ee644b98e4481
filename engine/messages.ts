/**
 * Performer-facing messages: every failure the show survives is reported here in plain words.
 * A tiny vanilla store (read with subscribe/getState) so non-React code can report too.
 */
export type MessageLevel = 'info' | 'warning' | 'error';

export interface Message {
  id: number;
  level: MessageLevel;
  text: string;
  at: number;
}

type Listener = () => void;

const MAX_MESSAGES = 50;
let messages: readonly Message[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

export function report(level: MessageLevel, text: string): void {
  const m: Message = { id: nextId++, level, text, at: Date.now() };
  messages = [m, ...messages].slice(0, MAX_MESSAGES);
  if (level === 'error') console.error(`[glassforest] ${text}`);
  else if (level === 'warning') console.warn(`[glassforest] ${text}`);
  for (const l of listeners) l();
}

export function dismiss(id: number): void {
  messages = messages.filter((m) => m.id !== id);
  for (const l of listeners) l();
}

export function getMessages(): readonly Message[] {
  return messages;
}

export function subscribeMessages(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function describeError(err: unknown): string {
  if (err instanceof DOMException) return `${err.name}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

const reportedOnce = new Set<string>();

/** Report a per-frame failure once, not sixty times a second; the frame loop goes on. */
export function reportOnce(where: string, err: unknown): void {
  if (reportedOnce.has(where)) return;
  reportedOnce.add(where);
  report('error', `The ${where} failed (${describeError(err)}); the output keeps the last good state.`);
}
