/**
 * Typed SDK of the Bullseye Partner API and Organization API, on top of openapi-fetch.
 *
 * @packageDocumentation
 */
export { createPartnerClient, createOrganizationClient, DEFAULT_BASE_URL } from './client.js';
export type { PartnerClient, OrganizationClient, PartnerScope, OrganizationScope, ScopedClientOptions } from './client.js';
export type { ClientOptions, FetchLike, Logger } from './core/options.js';
export type { RetryPolicy } from './core/retry.js';
export type { AllowedPath, BullseyeClient, CallInit, CallOptions, CallResult, ExactMethod, HttpMethod, InitArgs, OperationOf, PaginateArgs, RequiredKeys } from './core/types.js';
export {
  BullseyeError,
  ConfigurationError,
  ValidationError,
  AuthenticationError,
  PermissionError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ConnectionError,
  TimeoutError,
  InvalidResponseError,
  RedirectError,
} from './core/errors.js';
export type { BullseyeErrorInit } from './core/errors.js';
export type { OperationInfo, RequiredScope } from './core/operations.js';
export { apis } from '../generated/apis.js';
export { apiOfPath, hasDotSegment, isPathTemplate, matchOperation, matchPath } from './core/routes.js';
export type { ApiId, OperationEntry, PathMatch, PathTemplate } from './core/routes.js';
export { grantedScopes, scopeNames, scopesAllow, scopesGranting, unknownScopesMessage } from './core/scopes.js';
export type { GrantedScope, ScopeOf } from './core/scopes.js';
export { getRateLimit } from './core/rate-limit.js';
export type { RateLimitInfo } from './core/rate-limit.js';
export { unwrap } from './core/unwrap.js';
export type { ResultLike, UnwrappedData } from './core/unwrap.js';
export type { PageBody, PageItem, PaginatedPath } from './core/pagination.js';
export {
  WebhookVerificationError,
  WEBHOOK_SIGNATURE_HEADER,
  constructWebhookEvent,
  signWebhookPayload,
  verifyWebhookSignature,
} from './core/webhooks.js';
export type { SignedWebhook, WebhookBody, WebhookErrorCode, WebhookEvent, WebhookName, WebhookPayload, WebhookVerifyOptions } from './core/webhooks.js';
export type { PartnerPaths, OrganizationPaths, PathsOf } from './paths.js';
export type { paths, components, operations, webhooks } from './schema.js';
export { API_VERSION, SDK_VERSION } from './version.js';
