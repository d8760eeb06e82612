// Turns a raw POST /api/feed body into candidate events. Body-level problems (not UTF-8, not
// a JSON array, too many events) refuse the whole request; a broken NDJSON line is one
// rejected event, so the good lines of a batch are still kept.

export const MAX_FEED_BYTES = 10 * 1024 * 1024;
export const MAX_FEED_EVENTS = 5000;

export type BodyItem = { ok: true; value: unknown } | { ok: false; error: string };

export type ParsedBody = { ok: true; items: BodyItem[] } | { ok: false; status: 400 | 413; error: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function isNdjson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl' || type === 'application/json-lines';
}

export function parseFeedBody(body: Uint8Array, contentType: string | undefined): ParsedBody {
  if (body.byteLength > MAX_FEED_BYTES) return { ok: false, status: 413, error: `body: larger than ${MAX_FEED_BYTES} bytes` };
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false, status: 400, error: 'body: not valid UTF-8' };
  }
  if (isNdjson(contentType)) {
    const items: BodyItem[] = [];
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.trim();
      if (!line) continue;
      if (items.length === MAX_FEED_EVENTS) return tooMany();
      try {
        items.push({ ok: true, value: JSON.parse(line) });
      } catch {
        items.push({ ok: false, error: `(line ${n + 1}): not valid JSON` });
      }
    }
    if (items.length === 0) return { ok: false, status: 400, error: 'body: no events' };
    return { ok: true, items };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, status: 400, error: `body: not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})` };
  }
  if (!Array.isArray(value)) return { ok: false, status: 400, error: 'body: must be a JSON array of events, or NDJSON with Content-Type application/x-ndjson' };
  if (value.length > MAX_FEED_EVENTS) return tooMany();
  if (value.length === 0) return { ok: false, status: 400, error: 'body: no events' };
  return { ok: true, items: value.map((v: unknown) => ({ ok: true, value: v })) };
}

function tooMany(): ParsedBody {
  return { ok: false, status: 413, error: `body: more than ${MAX_FEED_EVENTS} events` };
}
