import { atParam } from './format';

/** Puts a replay moment into the address bar (`at`, `speed`) without a navigation, for a link to it. */
export function writeReplayUrl(at: number, speed: number): void {
  const url = new URL(window.location.href);
  url.searchParams.set('at', atParam(at));
  url.searchParams.set('speed', String(speed));
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}
