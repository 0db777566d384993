/**
 * Version of this SDK (the npm package), sent in the `User-Agent` header. Semver of the SDK's own
 * API: see CHANGELOG.md. Kept equal to package.json by a test.
 */
export const SDK_VERSION = '0.1.0';

/**
 * Version of the API contract (`info.version` of the bundled OpenAPI document) this SDK's types and
 * operations were generated from. It moves on its own semver line (openapi/CHANGELOG.md): a major
 * contract change brings a major SDK release. Kept equal to generated/openapi.json by a test.
 */
export const API_VERSION = '2.0.0';
