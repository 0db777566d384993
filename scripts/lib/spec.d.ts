// Types of spec.js (plain JavaScript so that the Redocly plugins can import it).

export { HTTP_METHODS, deref, escapePointer, exampleOf, isObject, listOperations, operationScopes, resolvePointer } from '../../src/openapi-walk.js';
export type { HttpMethodName as HttpMethod, ListedOperation } from '../../src/openapi-walk.js';

/** esbuild options for bundling the SDK as a typical browser consumer does. */
export declare const CONSUMER_BUNDLE_OPTIONS: Readonly<{
  bundle: true;
  minify: true;
  treeShaking: true;
  format: 'esm';
  platform: 'browser';
  target: 'es2022';
  logLevel: 'silent';
}>;
