/** The OpenAPI 3 document of /api/v1, written by hand; served at /api/v1/openapi.json. */
const error = { $ref: '#/components/responses/Error' };
const common = { '401': error, '429': error };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const str = { type: 'string' };
const int = { type: 'integer' };
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: str });

export const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'sip-b2bua admin API', version: '1' },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    responses: {
      Error: {
        description: 'error (401 without a valid token, 429 after repeated failures, with Retry-After)',
        ...json({ type: 'object', properties: { error: { type: 'object', properties: { code: str, message: str } } } }),
      },
    },
    schemas: {
      Registration: {
        type: 'object',
        properties: {
          tenant: str, extension: str, deviceUser: str,
          contacts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                bindingId: str, contact: str, userAgent: str, expiresAt: { type: 'string', format: 'date-time' }, expiresInSeconds: int,
                source: { type: 'object', properties: { address: str, port: int, transport: str } },
              },
            },
          },
        },
      },
      Ban: { type: 'object', properties: { address: str, failures: int, bannedAt: { type: 'string', format: 'date-time' }, until: { type: 'string', format: 'date-time' } } },
      Trunk: {
        type: 'object',
        properties: {
          tenant: str, trunk: str, health: { type: 'string', enum: ['unknown', 'up', 'down'] }, healthChangedAt: str, activeCalls: int,
          limit: { type: 'object', properties: { active: int, max: int } },
          registration: { type: 'object', properties: { state: str, failures: int, lastStatus: int, expiresAt: str } },
        },
      },
      Cdr: {
        type: 'object',
        properties: {
          callId: str, tenant: str, direction: { type: 'string', enum: ['device', 'carrier'] }, caller: str, callerExtension: str, dialled: str, rule: str,
          attempts: { type: 'array', items: { type: 'object', properties: { target: str, outcome: { oneOf: [int, str] } } } },
          trunks: { type: 'array', items: str }, startedAt: str, answeredAt: str, endedAt: str, durationSeconds: { type: 'number' },
          finalStatus: int, hangupSide: { type: 'string', enum: ['caller', 'callee', 'admin'] }, state: { type: 'string', enum: ['setup', 'answered'] },
        },
      },
      ConfigProblem: { type: 'object', properties: { key: str, problem: str, line: int } },
    },
  },
  paths: {
    '/openapi.json': { get: { summary: 'this document', responses: { '200': { description: 'OpenAPI 3 document' }, ...common } } },
    '/registrations': {
      get: {
        summary: 'registered devices, from the location store the calls use',
        parameters: [{ name: 'tenant', in: 'query', schema: str }, { name: 'extension', in: 'query', schema: str }],
        responses: { '200': { description: 'devices', ...json({ type: 'object', properties: { registrations: { type: 'array', items: { $ref: '#/components/schemas/Registration' } } } }) }, ...common },
      },
    },
    '/registrations/{tenant}/{extension}/{deviceUser}': {
      delete: {
        summary: 'unregister a device (all its bindings)',
        parameters: [pathParam('tenant'), pathParam('extension'), pathParam('deviceUser')],
        responses: { '200': { description: 'removed', ...json({ type: 'object', properties: { removed: int } }) }, '404': error, ...common },
      },
    },
    '/bans': {
      get: {
        summary: 'source addresses banned after repeated authentication failures',
        responses: { '200': { description: 'bans', ...json({ type: 'object', properties: { bans: { type: 'array', items: { $ref: '#/components/schemas/Ban' } } } }) }, ...common },
      },
    },
    '/bans/{address}': {
      delete: { summary: 'lift a ban', parameters: [pathParam('address')], responses: { '200': { description: 'lifted' }, '404': error, ...common } },
    },
    '/trunks': {
      get: {
        summary: 'carrier trunks: watchdog health, outbound registration, limits',
        responses: { '200': { description: 'trunks', ...json({ type: 'object', properties: { trunks: { type: 'array', items: { $ref: '#/components/schemas/Trunk' } } } }) }, ...common },
      },
    },
    '/calls': {
      get: {
        summary: 'calls in progress on this instance (state setup or answered, duration so far)',
        responses: { '200': { description: 'calls', ...json({ type: 'object', properties: { calls: { type: 'array', items: { $ref: '#/components/schemas/Cdr' } } } }) }, ...common },
      },
    },
    '/calls/{callId}': {
      delete: { summary: 'hang up an answered call of this instance (BYE to both legs)', parameters: [pathParam('callId')], responses: { '200': { description: 'hung up' }, '404': error, ...common } },
    },
    '/calls/recent': {
      get: {
        summary: 'the last call records from cdr.file, newest first (404 when cdr.file is not set)',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } }],
        responses: { '200': { description: 'records', ...json({ type: 'object', properties: { calls: { type: 'array', items: { $ref: '#/components/schemas/Cdr' } } } }) }, '404': error, ...common },
      },
    },
    '/events': {
      get: {
        summary: 'server-sent events (text/event-stream) of this instance: registration.added/removed/expired, call.started/answered/ended, trunk.changed, ban.added/lifted; first a `ready` event, a keep-alive comment every 15 s; a client too far behind is dropped',
        responses: {
          '200': { description: 'the stream: `id`, `event` (the type) and `data` (the event as JSON, with its `type`) per event', content: { 'text/event-stream': { schema: str } } },
          '503': error,
          ...common,
        },
      },
    },
    '/config/reload': {
      post: {
        summary: 'read the configuration file again (as SIGHUP does): tenants change for new calls and registrations; a bad file changes nothing',
        responses: {
          '200': { description: 'reloaded', ...json({ type: 'object', properties: { reloaded: { type: 'boolean' }, file: str, tenants: { type: 'array', items: str }, warnings: { type: 'array', items: str }, kept: { type: 'array', items: str } } }) },
          '422': { description: 'refused: file, key, problem; the running configuration stays', ...json({ type: 'object', properties: { valid: { type: 'boolean' }, file: str, problems: { type: 'array', items: { $ref: '#/components/schemas/ConfigProblem' } } } }) },
          ...common,
        },
      },
    },
    '/config/validate': {
      post: {
        summary: 'validate a configuration file with the product loader (nothing is applied)',
        parameters: [{ name: 'file', in: 'query', description: 'file name used in messages', schema: str }],
        requestBody: { required: true, content: { 'application/yaml': { schema: str } } },
        responses: {
          '200': { description: 'valid', ...json({ type: 'object', properties: { valid: { type: 'boolean' }, tenants: { type: 'array', items: str }, warnings: { type: 'array', items: str } } }) },
          '422': { description: 'invalid: file, key, problem', ...json({ type: 'object', properties: { valid: { type: 'boolean' }, file: str, problems: { type: 'array', items: { $ref: '#/components/schemas/ConfigProblem' } } } }) },
          ...common,
        },
      },
    },
  },
} as const;
