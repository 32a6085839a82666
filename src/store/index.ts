export * from './location-store.js';
export * from './memory.js';
export * from './redis.js';
export * from './create-location-store.js';
export * from './settings-store.js';
export * from './call-counter-store.js';
export * from './redis-call-counter-store.js';
export * from './create-call-counter-store.js';
