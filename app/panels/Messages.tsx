import { dismiss, getMessages, subscribeMessages } from '../../engine/messages.ts';
import { useStore } from '../use-store.ts';

export function Messages() {
  const messages = useStore(subscribeMessages, getMessages);
  if (messages.length === 0) return null;
  return (
    <ul className="messages" aria-live="polite" data-testid="messages">
      {messages.slice(0, 6).map((m) => (
        <li key={m.id} className={`msg msg-${m.level}`} data-level={m.level}>
          <span>{m.text}</span>
          <button aria-label="Dismiss" onClick={() => dismiss(m.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
