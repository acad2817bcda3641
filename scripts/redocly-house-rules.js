// House conventions of this spec, as Redocly lint rules (see redocly.yaml).
// Plain JS because Redocly loads plugins without a TypeScript step.

const PERMISSIONS = ['airtime.read', 'airtime.write', 'airtime.transactions.read', 'wallets.read'];
const SHARED_ERRORS = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalError',
};
const REQUIRED_ERRORS = ['401', '403', '429', '500'];
const OPERATION_ID = /^(list|get|create|lookup)[A-Z][A-Za-z0-9]*$/;

/** Only API operations (under `paths`), not webhooks. */
const underPaths = (operationVisitor) => ({ Paths: { PathItem: { Operation: operationVisitor } } });

function securityScopes(operation) {
  const requirements = Array.isArray(operation.security) ? operation.security : [];
  return requirements.flatMap((req) => Object.entries(req ?? {}).map(([scheme, scopes]) => ({ scheme, scopes })));
}

/** Exactly one security requirement, on bearerAuth, with exactly one known permission as scope. */
function OperationPermission() {
  return underPaths({
    enter(operation, ctx) {
      const reqs = securityScopes(operation);
      const ok =
        reqs.length === 1 &&
        reqs[0].scheme === 'bearerAuth' &&
        Array.isArray(reqs[0].scopes) &&
        reqs[0].scopes.length === 1 &&
        PERMISSIONS.includes(reqs[0].scopes[0]);
      if (!ok) {
        ctx.report({
          message: `Operation must have exactly one security requirement \`bearerAuth: [<permission>]\` with one of ${PERMISSIONS.join(', ')}.`,
          location: ctx.location.child('security'),
        });
      }
    },
  });
}

/** `x-permission` must be present and equal the security requirement's scope. */
function PermissionExtensionMatches() {
  return underPaths({
    enter(operation, ctx) {
      const scope = securityScopes(operation)[0]?.scopes?.[0];
      const ext = operation['x-permission'];
      if (ext === undefined) {
        ctx.report({ message: 'Operation must declare `x-permission`.', location: ctx.location.key() });
      } else if (ext !== scope) {
        ctx.report({
          message: `\`x-permission\` (${ext}) must equal the security scope (${scope ?? 'none'}).`,
          location: ctx.location.child('x-permission'),
        });
      }
    },
  });
}

/** 401, 403, 429 and 500 are declared, and every error status `$ref`s its shared response. */
function SharedErrorResponses() {
  return underPaths({
    enter(operation, ctx) {
      const responses = operation.responses ?? {};
      for (const status of REQUIRED_ERRORS) {
        if (!(status in responses)) {
          ctx.report({ message: `Operation must declare a ${status} response.`, location: ctx.location.child('responses') });
        }
      }
      for (const [status, response] of Object.entries(responses)) {
        const shared = SHARED_ERRORS[status];
        if (!shared) continue;
        const ref = response && typeof response.$ref === 'string' ? response.$ref : '';
        const refName = ref.replace(/\.ya?ml$/, '').split(/[/#]/).pop();
        if (refName !== shared || !/components\/responses\//.test(ref)) {
          ctx.report({
            message: `The ${status} response must be \`$ref\` to the shared response \`${shared}\`.`,
            location: ctx.location.child(['responses', status]),
          });
        }
      }
    },
  });
}

/** operationIds are lowerCamel verb + noun from a closed list of verbs. */
function OperationIdNaming() {
  return underPaths({
    enter(operation, ctx) {
      if (typeof operation.operationId === 'string' && !OPERATION_ID.test(operation.operationId)) {
        ctx.report({
          message: `operationId \`${operation.operationId}\` must be lowerCamel: list*, get*, create* or lookup* followed by a noun.`,
          location: ctx.location.child('operationId'),
        });
      }
    },
  });
}

/** Leaf schema properties carry an example, directly or on the schema they `$ref`. */
function PropertyExample() {
  const hasExample = (s) => s && (s.example !== undefined || (Array.isArray(s.examples) && s.examples.length > 0));
  // Containers show their examples through their own properties or items.
  const isContainer = (s) =>
    s && (s.properties || s.oneOf || s.anyOf || s.allOf || (s.type === 'array' && s.items));
  return {
    Schema: {
      enter(schema, ctx) {
        for (const [name, raw] of Object.entries(schema.properties ?? {})) {
          const prop = raw && raw.$ref ? ctx.resolve(raw).node : raw;
          if (!prop || hasExample(prop) || hasExample(raw) || isContainer(prop)) continue;
          ctx.report({
            message: `Property \`${name}\` must have an \`example\`.`,
            location: ctx.location.child(['properties', name]),
          });
        }
      },
    },
  };
}

export default function houseRules() {
  return {
    id: 'house',
    rules: {
      oas3: {
        'operation-permission': OperationPermission,
        'permission-extension-matches': PermissionExtensionMatches,
        'shared-error-responses': SharedErrorResponses,
        'operation-id-naming': OperationIdNaming,
        'property-example': PropertyExample,
      },
    },
  };
}
