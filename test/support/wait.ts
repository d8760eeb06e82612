/** Polls `fn` every 100 ms until it gives a value (errors count as none) or `ms` pass. */
export async function until<T>(fn: () => Promise<T | undefined>, ms: number, everyMs = 100): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
