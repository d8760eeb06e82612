import type { AssessmentReport, BulletinDoc, BulletinParts, DrillRow, MonthlyReport, MovedCell, QualityReport, ReferenceData } from '@wall/shared';
import { apiFetch, apiJson } from '../lib/api';

// The bulletin page's reads and downloads, all with the user's stored token.

export interface BulletinBundle {
  monthly: MonthlyReport;
  drills: DrillRow[];
  assessment: AssessmentReport;
  quality: QualityReport;
  reference: ReferenceData;
}

function json<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  return apiJson<T>(path, { token, signal });
}

export async function fetchBulletin(month: string, token: string, signal?: AbortSignal): Promise<BulletinBundle> {
  const q = `month=${encodeURIComponent(month)}`;
  const [monthly, drills, assessment, quality, reference] = await Promise.all([
    json<MonthlyReport>(`/api/reports/monthly?${q}`, token, signal),
    json<DrillRow[]>(`/api/reports/drills?${q}`, token, signal),
    json<AssessmentReport>(`/api/reports/assessment?${q}`, token, signal),
    json<QualityReport>(`/api/reports/quality?${q}`, token, signal),
    json<ReferenceData>('/api/reference', token, signal),
  ]);
  return { monthly, drills, assessment, quality, reference };
}

/** The file name the server offers: RFC 6266 `filename*` (UTF-8) first, then `filename`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // a malformed escape: fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : fallback;
}

/**
 * Downloads an export. A plain link cannot carry the Authorization header, so the file is
 * fetched with the token and handed to the browser as a blob.
 */
export async function download(path: string, token: string, fallbackName: string): Promise<void> {
  const res = await apiFetch(path, { token });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = attachmentName(res.headers.get('Content-Disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked on the next turn: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The 通报's parts, the draft and the issued version (server/src/reports/bulletin-doc.service.ts). */
export interface BulletinState {
  month: string;
  parts: BulletinParts;
  suggested: { from: string; requirements?: string; cc?: string } | null;
  missing: Array<{ id: string; name: string }>;
  proposedDocNumber: string;
  draft: BulletinDoc;
  issued: { version: number; at: string; by: string; doc: BulletinDoc; moved: MovedCell[] } | null;
  can: { centers: string[]; city: boolean; issue: boolean };
}

export function fetchState(month: string, token: string, signal?: AbortSignal): Promise<BulletinState> {
  return json<BulletinState>(`/api/reports/bulletin?month=${encodeURIComponent(month)}`, token, signal);
}

export async function saveCenter(month: string, center: string, text: string, token: string): Promise<void> {
  await apiFetch(`/api/reports/bulletin/centers/${encodeURIComponent(center)}?month=${encodeURIComponent(month)}`, { token, method: 'PUT', body: { text } });
}

export async function saveCity(month: string, parts: Omit<BulletinParts, 'centers'>, token: string): Promise<void> {
  await apiFetch(`/api/reports/bulletin/city?month=${encodeURIComponent(month)}`, { token, method: 'PUT', body: parts });
}

export async function issueBulletin(month: string, token: string): Promise<{ version: number }> {
  return apiJson(`/api/reports/bulletin/issue?month=${encodeURIComponent(month)}`, { token, method: 'POST' });
}
