/** `?screen=` names a screen for the admins' list; else an id made once per browser tab. */
export function screenId(search = location.search, storage: Storage = sessionStorage): string {
  const named = new URLSearchParams(search).get('screen');
  if (named && /^[A-Za-z0-9._,:-]{1,64}$/.test(named)) return named;
  let id = storage.getItem('wall.screen');
  if (!id) {
    id = `screen-${crypto.randomUUID().slice(0, 8)}`;
    storage.setItem('wall.screen', id);
  }
  return id;
}
