// What only failures, retries, waits, pagination, throttling and custom fetch functions need,
// loaded on first use. A bundler that splits chunks (esbuild, Rollup, Vite, webpack) keeps it out of
// what a successful call loads; in Node it is one more module, read once.
export { attemptError, errorFromResponse, invalidJsonError } from './failures.js';
export { copyResponse, exchange } from './faithful.js';
export { describeOperation } from './operations.js';
export { iteratePages, itemsOf } from './pagination.js';
export { backoffDelay, retryDelay, sleep } from './backoff.js';
export { Throttle } from './throttle.js';
