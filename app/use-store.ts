import { useSyncExternalStore } from 'react';

/** Subscribe a component to a vanilla store (messages, audio status). */
export function useStore<T>(subscribe: (l: () => void) => () => void, get: () => T): T {
  return useSyncExternalStore(subscribe, get, get);
}
