import { shanghaiDayKey } from './format';

// Holiday-duty periods (节日值守). Kept in the client for now; dates are inclusive, in
// Asia/Shanghai. To be replaced by a server setting when there is one.

export interface DutyPeriod {
  name: string;
  from: string;
  to: string;
}

export const DUTY_PERIODS: DutyPeriod[] = [
  { name: '国庆·中秋', from: '2020-10-01', to: '2020-10-08' },
  { name: '元旦', from: '2021-01-01', to: '2021-01-03' },
  { name: '春节', from: '2021-02-11', to: '2021-02-17' },
  { name: '劳动节', from: '2021-05-01', to: '2021-05-05' },
  { name: '国庆', from: '2021-10-01', to: '2021-10-07' },
  { name: '春节', from: '2024-02-10', to: '2024-02-17' },
  { name: '国庆', from: '2024-10-01', to: '2024-10-07' },
  { name: '春节', from: '2025-01-28', to: '2025-02-04' },
  { name: '劳动节', from: '2025-05-01', to: '2025-05-05' },
  { name: '国庆·中秋', from: '2025-10-01', to: '2025-10-08' },
  { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
  { name: '春节', from: '2026-02-15', to: '2026-02-23' },
  { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
  { name: '国庆', from: '2026-10-01', to: '2026-10-07' },
];

/** The duty period on at instant t, if any. */
export function activeDuty(t: number, periods: DutyPeriod[] = DUTY_PERIODS): DutyPeriod | null {
  const day = shanghaiDayKey(t);
  return periods.find((p) => p.from <= day && day <= p.to) ?? null;
}
