/**
 * The bundled spec, read once at start-up, turned into a table the hot path can use without
 * scanning the spec per request: a route matcher, and per operation its permission (from the
 * security requirement's scope, falling back to `x-permission`), the statuses it declares and
 * its rate-limit category.
 */
import { readFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Where the bundled spec lives; the mock never reads `openapi/` directly. */
export const SPEC_PATH = new URL('../../generated/openapi.json', import.meta.url);

/** Rate-limit categories of CONTRACT.md. */
export type RateCategory = 'read' | 'write' | 'topup' | 'lookup';

/** One API operation as the mock needs it. */
export interface OperationInfo {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. `/topups/{id}`. */
  path: string;
  permission: string;
  /** Statuses the operation declares (`'200'`, `'400'`, ...). */
  statuses: ReadonlySet<string>;
  category: RateCategory;
  operation: Json;
}

/** The result of matching a request path. */
export interface RouteMatch {
  op: OperationInfo;
  params: Record<string, string>;
}

/** Loads the bundled spec. */
export function loadSpec(path: URL | string = SPEC_PATH): Json {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Follows local `$ref`s (`#/components/...`) in the bundled spec. */
export function deref(spec: Json, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    const keys = current.$ref.replace(/^#\//, '').split('/');
    current = keys.reduce(
      (acc: Json, seg: string) => acc?.[decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~')],
      spec,
    );
  }
  return current;
}

function permissionOf(spec: Json, op: Json, id: string): string {
  const security: Json[] = op.security ?? spec.security ?? [];
  for (const requirement of security) {
    for (const scopes of Object.values(requirement ?? {}) as Json[]) {
      if (Array.isArray(scopes) && typeof scopes[0] === 'string') return scopes[0];
    }
  }
  if (typeof op['x-permission'] === 'string') return op['x-permission'];
  throw new Error(`spec: operation ${id} names no permission`);
}

function categoryOf(operationId: string, method: string): RateCategory {
  // CONTRACT.md: catalog lookup and top-up creation have their own buckets; other writes and reads share.
  if (operationId === 'lookupCatalog') return 'lookup';
  if (operationId === 'createTopup') return 'topup';
  return method === 'get' ? 'read' : 'write';
}

/** Every operation under `paths`, with its permission, statuses and category. */
export function operationTable(spec: Json): OperationInfo[] {
  const table: OperationInfo[] = [];
  for (const [path, item] of Object.entries(spec.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const operationId: string = op.operationId;
      table.push({
        operationId,
        method,
        path,
        permission: permissionOf(spec, op, operationId),
        statuses: new Set(Object.keys(op.responses ?? {})),
        category: categoryOf(operationId, method),
        operation: op,
      });
    }
  }
  return table;
}

interface TemplateRoute {
  segments: string[];
  /** Index → parameter name, for `{name}` segments. */
  params: Map<number, string>;
  byMethod: Map<string, OperationInfo>;
}

/**
 * Matches `METHOD /path` (relative to the API base) to its operation. Literal paths are one map
 * lookup; templated ones are compared segment by segment. Literal segments win over parameters.
 */
export class Router {
  private readonly literal = new Map<string, Map<string, OperationInfo>>();
  private readonly templates: TemplateRoute[] = [];

  constructor(ops: readonly OperationInfo[]) {
    for (const op of ops) {
      if (!op.path.includes('{')) {
        const byMethod = this.literal.get(op.path) ?? new Map<string, OperationInfo>();
        byMethod.set(op.method, op);
        this.literal.set(op.path, byMethod);
        continue;
      }
      const segments = op.path.split('/');
      let route = this.templates.find((t) => t.segments.join('/') === segments.join('/'));
      if (!route) {
        const params = new Map<number, string>();
        segments.forEach((s, i) => {
          const m = /^\{(.+)\}$/.exec(s);
          if (m?.[1]) params.set(i, m[1]);
        });
        route = { segments, params, byMethod: new Map() };
        this.templates.push(route);
      }
      route.byMethod.set(op.method, op);
    }
  }

  /** The operation for a method and path, or `undefined` (unknown route, or method not allowed). */
  match(method: string, path: string): RouteMatch | undefined {
    const m = method.toLowerCase();
    const literal = this.literal.get(path);
    if (literal) {
      const op = literal.get(m);
      return op ? { op, params: {} } : undefined;
    }
    const segments = path.split('/');
    for (const route of this.templates) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length; i++) {
        const name = route.params.get(i);
        const seg = segments[i] ?? '';
        if (name !== undefined) {
          if (seg === '') {
            ok = false;
            break;
          }
          try {
            params[name] = decodeURIComponent(seg);
          } catch {
            params[name] = seg;
          }
        } else if (seg !== route.segments[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const op = route.byMethod.get(m);
      if (op) return { op, params };
    }
    return undefined;
  }
}
