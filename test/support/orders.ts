// An incident and one order to a unit with a short sign-off limit, for the paging tests; and a
// JSON call with a user's token.

let n = 0;

/** The events of a fresh incident and its order to `unit`, dispatched at `at`, to be signed within `signMinutes`. */
export function orderWithSignLimit(unit: string, signMinutes: number, at = Date.now()) {
  const k = `${at}-${n++}`;
  const center = unit.split('.')[0]!;
  return {
    incident: `i-${k}`,
    order: `o-${k}`,
    at,
    due: at + signMinutes * 60_000,
    events: [
      { id: `r-${k}`, type: 'incident.reported', at: new Date(at - 1000).toISOString(), incident: `i-${k}`, center, kind: 'alarm', category: '测试' },
      {
        id: `d-${k}`,
        type: 'order.dispatched',
        at: new Date(at).toISOString(),
        incident: `i-${k}`,
        order: `o-${k}`,
        unit,
        deadlines: { signMinutes, arriveMinutes: 60, feedbackMinutes: 120 },
      },
    ],
  };
}

export async function send(url: string, token: string, method: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
