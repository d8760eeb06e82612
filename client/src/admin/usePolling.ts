import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Reloads a section's data every `ms` while it is open: the data lives in Redis, so a change
 * made on another instance (or by another admin) shows here within that time.
 */
export function usePolling(load: () => Promise<void>, ms = 5000): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const loop = async () => {
    try {
      await load();
    } finally {
      if (!stopped) timer = setTimeout(() => void loop(), ms);
    }
  };
  onMounted(() => void loop());
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });
}
