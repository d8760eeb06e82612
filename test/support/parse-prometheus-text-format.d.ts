// The package ships no types; the shape the tests read is declared where they read it.
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
