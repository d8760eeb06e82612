// The wall's palette: dark blue field, cyan accents, amber for "yesterday", red only for overdue.
export const C = {
  field: '#04102a',
  panel: 'rgba(8, 34, 78, 0.55)',
  border: 'rgba(64, 158, 255, 0.45)',
  text: '#d8ecff',
  muted: '#7fa3c9',
  dim: '#4d6f96',
  cyan: '#35d0ff',
  blue: '#1e90ff',
  amber: '#ffc857',
  green: '#3ee08f',
  red: '#ff4d5e',
  grid: 'rgba(120, 170, 230, 0.12)',
};

export const MONO = '"DIN Alternate", "Roboto Mono", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace';
export const SANS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
