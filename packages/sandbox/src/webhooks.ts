// Webhook deliveries: signed as the SDK's `verifyWebhookSignature` checks (`X-Bullseye-Signature`,
// hex HMAC-SHA256 of the exact body with the endpoint's secret), kept in the store with every
// attempt, retried on the schedule below in sandbox time (so advancing the clock runs due retries,
// and pending retries survive a restart with a data file).
import { createHmac, randomUUID } from 'node:crypto';
import type { Json } from './spec.js';
import type { Delivery, State } from './store.js';

/** Delay before each retry after a failed attempt (ms): 1 min, 5 min, 30 min, 2 h, 6 h; then failed. */
export const RETRY_SCHEDULE_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

export const SIGNATURE_HEADER = 'X-Bullseye-Signature';

export function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export interface NewDelivery {
  partnerId: string | null;
  type: Delivery['type'];
  organizationId: string | null;
  url: string;
  secret: string;
  payload: Record<string, Json>;
  test?: boolean;
}

export class Webhooks {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly running = new Set<string>();

  constructor(
    private readonly state: () => State,
    private readonly now: () => number,
    private readonly save: () => void,
    private readonly timeoutMs: number,
  ) {}

  /** Records a delivery (pending, due now); `kick` sends it. */
  enqueue(d: NewDelivery): Delivery {
    const s = this.state();
    const delivery: Delivery = {
      seq: ++s.seq,
      id: randomUUID(),
      partnerId: d.partnerId,
      type: d.type,
      organizationId: d.organizationId,
      url: d.url,
      secret: d.secret,
      body: JSON.stringify(d.payload),
      status: 'pending',
      responseStatus: null,
      attempts: 0,
      error: null,
      test: d.test ?? false,
      createdAt: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      nextAttemptAt: this.now(),
    };
    s.deliveries[delivery.id] = delivery;
    return delivery;
  }

  /** Sends every due delivery (not waiting for them). */
  kick(): void {
    const now = this.now();
    for (const d of Object.values(this.state().deliveries)) {
      if (d.status === 'pending' && d.nextAttemptAt !== null && d.nextAttemptAt <= now && !this.running.has(d.id)) this.track(this.attempt(d));
    }
  }

  /** Sends one delivery now and resolves when its attempt is recorded. */
  async sendNow(d: Delivery): Promise<void> {
    if (this.running.has(d.id)) return;
    await this.track(this.attempt(d));
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  private async attempt(d: Delivery): Promise<void> {
    this.running.add(d.id);
    try {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'bullseye-sandbox', [SIGNATURE_HEADER]: sign(d.body, d.secret) },
          body: d.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (status < 200 || status >= 300) error = `Endpoint answered ${status}`;
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        error = `Delivery failed: ${cause?.code ?? cause?.message ?? (err as Error).name}`;
      }
      // The delivery may have been removed by a reset meanwhile.
      const current = this.state().deliveries[d.id];
      if (!current) return;
      current.attempts++;
      current.responseStatus = status;
      current.error = error;
      if (!error) {
        current.status = 'success';
        current.nextAttemptAt = null;
      } else if (current.attempts >= MAX_ATTEMPTS || current.test) {
        // A test delivery is reported, not retried: its caller reads the outcome.
        current.status = 'failed';
        current.nextAttemptAt = null;
      } else {
        current.nextAttemptAt = this.now() + RETRY_SCHEDULE_MS[current.attempts - 1]!;
      }
      this.save();
    } finally {
      this.running.delete(d.id);
    }
  }

  /** Resolves when nothing is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Checks for due retries once a second (sandbox time moves with the real clock). */
  start(): void {
    this.timer = setInterval(() => this.kick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
