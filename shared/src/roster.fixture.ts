// A roster over National Day + Mid-Autumn 2020 (10-01..08 off, 09-27 and 10-10 worked), as the
// roster and paging specs both use it: the raw document, parsed by each test itself, so a
// schema that throws fails the tests rather than the file while it is collected.
export const NATIONAL_DAY_2020_ROSTER = {
  shifts: [
    { user: 'day-sup', level: 'supervisor', days: 'workday', start: '08:00', end: '18:00' },
    { user: 'night-sup', level: 'supervisor', days: 'all', start: '18:00', end: '08:00' },
    { user: 'weekend-sup', level: 'supervisor', days: 'restday', start: '08:00', end: '18:00' },
    { user: 'holiday-sup', level: 'supervisor', days: 'duty', start: '08:00', end: '18:00', centers: ['ruian'] },
    { user: 'leader', level: 'leader' },
  ],
  dutyPeriods: [{ name: '国庆·中秋', from: '2020-10-01', to: '2020-10-08' }],
  makeUpWorkdays: ['2020-09-27', '2020-10-10'],
  fallback: { ruian: 'ruian-officer', '*': 'city-officer' },
};
