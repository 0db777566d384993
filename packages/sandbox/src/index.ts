// @bullseye/sandbox: the Bullseye Partner and Organization APIs as a stateful local service.
import { fileURLToPath } from 'node:url';
export { createSandbox, HttpError, SANDBOX_BASE_URL, type Sandbox, type SandboxOptions, type SandboxRequest, type SandboxResponse } from './engine.js';
export { startSandboxServer, type SandboxServer, type SandboxServerOptions } from './server.js';
export { runSandboxCli } from './cli.js';
export { SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS, seedFromSpec, type State } from './store.js';
export { NOT_YET_ON_STATE, OPERATION_HANDLERS } from './operations/index.js';
export { DATA_FORMAT, DATA_VERSION, DataFileError } from './file.js';
export { RETRY_SCHEDULE_MS, MAX_ATTEMPTS, SIGNATURE_HEADER } from './webhooks.js';
export { CONTROL_PREFIX } from './controls.js';
export { grants } from './scopes.js';
export { TRIAL_CREDIT_LIMIT } from './operations/partner.js';

/**
 * The OpenAPI document of the sandbox-only controls (`/_sandbox/…`: reset, clock, identify, the
 * Organization webhook), shipped in the package beside dist/ and src/.
 */
export const CONTROLS_SPEC_FILE: string = fileURLToPath(new URL('../sandbox-openapi.yaml', import.meta.url));
