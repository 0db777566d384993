/**
 * Version of this SDK (the npm package), sent in the `User-Agent` header. Semver of the SDK's own
 * API: see CHANGELOG.md. Kept equal to package.json by a test.
 */
export const SDK_VERSION = '0.1.0';

export { API_VERSION } from '../generated/operations.js';
