/** One line of the audit log. `ip` is the caller's address; null for the server's own actions. */
export interface AuditEntry {
  at: string;
  who: string;
  action: string;
  ip: string | null;
  detail: Record<string, unknown>;
  /** Aggregated entries (refused logins): how many attempts this one line stands for. */
  count?: number;
}

export const DAY_MS = 24 * 3600 * 1000;
