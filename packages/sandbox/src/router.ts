// Matches a request path to a path template of the operations table. Kept apart (no engine state)
// so that a shared matcher can replace it: the rule is that a template with more fixed segments at
// the first place two templates differ wins (`/organization/list` over `/organization/{organization_id}`,
// `/icp-configs/stats` over `/icp-configs/{slug}`), as OpenAPI and the real server do.

export interface RouteMatch<T> {
  template: string;
  value: T;
  params: Record<string, string>;
}

interface Compiled<T> {
  template: string;
  segments: Array<{ literal: string } | { param: string }>;
  value: T;
}

export interface Router<T> {
  /** Every template whose shape fits the decoded path segments, best first. */
  match(segments: readonly string[]): RouteMatch<T>[];
}

/** Splits a template into literal and parameter segments. */
function compile<T>(template: string, value: T): Compiled<T> {
  const segments = template
    .split('/')
    .slice(1)
    .map((s) => {
      const m = /^\{([^{}]+)\}$/.exec(s);
      return m ? { param: m[1]! } : { literal: s };
    });
  return { template, segments, value };
}

/** Literal segments before parameters, compared left to right. */
function specificity(a: Compiled<unknown>, b: Compiled<unknown>): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const la = 'literal' in a.segments[i]!;
    const lb = 'literal' in b.segments[i]!;
    if (la !== lb) return la ? -1 : 1;
  }
  return 0;
}

export function createRouter<T>(routes: Iterable<[template: string, value: T]>): Router<T> {
  const byLength = new Map<number, Compiled<T>[]>();
  for (const [template, value] of routes) {
    const c = compile(template, value);
    const list = byLength.get(c.segments.length) ?? [];
    list.push(c);
    byLength.set(c.segments.length, list);
  }
  for (const list of byLength.values()) list.sort(specificity);
  return {
    match(segments) {
      const out: RouteMatch<T>[] = [];
      for (const c of byLength.get(segments.length) ?? []) {
        const params: Record<string, string> = {};
        let ok = true;
        for (let i = 0; i < segments.length && ok; i++) {
          const seg = c.segments[i]!;
          if ('literal' in seg) ok = seg.literal === segments[i];
          else if (segments[i] === '') ok = false;
          else params[seg.param] = segments[i]!;
        }
        if (ok) out.push({ template: c.template, value: c.value, params });
      }
      return out;
    },
  };
}

/**
 * Decodes each segment of a raw path (`/a/b%20c` → ['a', 'b c']). A malformed percent-escape or one
 * that decodes to invalid UTF-8 gives `undefined`; a decoded `/` stays inside its segment.
 */
export function splitPath(rawPath: string): string[] | undefined {
  const parts = rawPath.split('/').slice(1);
  const out: string[] = [];
  for (const p of parts) {
    try {
      out.push(decodeURIComponent(p));
    } catch {
      return undefined;
    }
  }
  // A trailing slash is the same resource.
  if (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}
