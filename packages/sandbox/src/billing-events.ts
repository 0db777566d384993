// `partner.billing` deliveries: credits allocated, an organization low on or out of credits.
import type { Rec, State } from './store.js';
import type { Webhooks } from './webhooks.js';

export function billingEvent(state: State, webhooks: Webhooks, partnerId: string, organizationId: string | null, event: string, timestamp: string): void {
  const hook = state.partnerWebhooks[partnerId]?.billing;
  if (!hook?.url || !hook.enabled) return;
  const partner = state.partners[partnerId]!;
  const org = organizationId ? state.organizations[organizationId] : undefined;
  const info = (org?.partner ?? null) as Rec | null;
  const payload = {
    event,
    timestamp,
    partner_id: partnerId,
    organization_id: organizationId,
    external_id: info ? ((info.externalId as string | null) ?? null) : null,
    credit_pool: { total: Number(partner.creditPoolTotal ?? 0), used: Number(partner.creditPoolUsed ?? 0), available: Number(partner.creditPoolAvailable ?? 0) },
    organization_credits: info
      ? { allocated: Number(info.credits), used: Number(info.creditsUsed), available: Math.max(0, Number(info.credits) - Number(info.creditsUsed)) }
      : null,
  };
  webhooks.enqueue({ partnerId, type: 'billing', organizationId, url: hook.url, secret: hook.secret ?? "", payload });
}
