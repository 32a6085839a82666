export * from './contact.js';
export * from './expiry.js';
export * from './errors.js';
export * from './register-decision.js';
export * from './registrar.js';
