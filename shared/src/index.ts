export * from './reference.js';
export * from './events.js';
export * from './time.js';
export * from './projection.js';
export * from './report.js';
export * from './view.js';
export * from './socket.js';
export * from './generator.js';
