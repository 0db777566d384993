// Documented names for the types generated from the spec (generated/schema.ts, openapi-typescript).
import type * as generated from '../generated/schema.js';

/** Every path of both APIs with its operations, as generated from the OpenAPI document. */
export type paths = generated.paths;
/** Every named schema, response, parameter and header of the spec, e.g. `components['schemas']['PartnerOrganization']`. */
export type components = generated.components;
/** Every operation of both APIs by `operationId`: parameters, request body and responses. */
export type operations = generated.operations;
/** The webhooks Bullseye sends, by name, with their payloads. */
export type webhooks = generated.webhooks;
