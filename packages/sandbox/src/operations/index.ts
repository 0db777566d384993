// Every operation the sandbox answers on its state, by operationId. An operation of the spec that
// is missing here answers 501 and must be listed in NOT_YET_ON_STATE (a test checks both ways).
import type { Handler } from '../types.js';
import { organizationHandlers } from './organization.js';
import { partnerHandlers } from './partner.js';

export const OPERATION_HANDLERS: Readonly<Record<string, Handler>> = { ...partnerHandlers, ...organizationHandlers };

/** Operations of the spec that answer 501 until they work on the sandbox's state. */
export const NOT_YET_ON_STATE: readonly string[] = [];
