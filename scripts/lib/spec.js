// What scripts/, test/ and bench/ need about the OpenAPI document and the SDK build, in one place.
// Plain JavaScript (typed by spec.d.ts beside it) because the Redocly plugins import it too, and
// Redocly loads plugins with a bare `import()`, without tsx.

// The document walkers are the SDK's own (src/openapi-walk.js, shipped for the CLI and the testing
// kit): one implementation of pointers, `$ref`s, operations, scopes and examples.
export { HTTP_METHODS, deref, escapePointer, exampleOf, isObject, listOperations, operationScopes, resolvePointer } from '../../src/openapi-walk.js';

/**
 * esbuild options for bundling the SDK as a typical browser consumer does (minified, tree-shaken,
 * ES2022 modules). Callers add their entry point and output settings.
 */
export const CONSUMER_BUNDLE_OPTIONS = Object.freeze({
  bundle: true,
  minify: true,
  treeShaking: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent',
});
