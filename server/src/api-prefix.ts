/** The REST API's prefix; /metrics stays outside it, where scrapers look. Read by main.ts and the API document. */
export const API_PREFIX = { prefix: 'api', exclude: ['metrics'] } as const;
