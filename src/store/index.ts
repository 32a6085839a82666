export * from './location-store.js';
export * from './memory.js';
export * from './redis.js';
export * from './create-location-store.js';
export * from './settings-store.js';
