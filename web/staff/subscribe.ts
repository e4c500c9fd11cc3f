// One way for module-level state (session, location) to re-render the components that read it.
import { useEffect, useState } from 'preact/hooks';

/** Re-renders the calling component whenever a listener in `listeners` is called. */
export function useNotified(listeners: Set<() => void>): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, [listeners]);
}
