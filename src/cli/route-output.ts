import type { RouteDecision } from '../domain/routing/decision.js';
import type { Tenant } from '../domain/model.js';
import { explainForwards, explainHuntGroup } from '../domain/forwarding/explain-forwards.js';

/** The CLI's JSON: the same fields for every action (null when not applicable), then the details. */
export function routeDecisionJson(d: RouteDecision, request: { tenant: string; from: string; dial: string; at: number }, tenant?: Tenant): Record<string, unknown> {
  const common = {
    action: d.action,
    status: d.action === 'reject' ? d.status : null,
    line: d.action === 'outbound' || d.action === 'emergency' ? d.line : null,
    number: d.action === 'outbound' || d.action === 'emergency' ? d.number : null,
    trunks: d.action === 'outbound' || d.action === 'emergency' ? d.trunks : [],
    privacy: d.action === 'outbound' ? d.privacy : false,
    rule: d.rule,
  };
  const extra: Record<string, unknown> = {};
  switch (d.action) {
    case 'reject':
      extra.reason = d.reason;
      break;
    case 'outbound':
      extra.groupId = d.groupId;
      extra.callerId = d.callerId;
      break;
    case 'emergency':
      extra.record = d.record;
      extra.callerId = d.callerId;
      break;
    case 'feature':
      extra.feature = d.feature;
      extra.code = d.code;
      extra.argument = d.argument;
      break;
    case 'local': {
      extra.extension = d.extension;
      const ext = tenant?.extensions.get(d.extension);
      if (tenant && ext) {
        extra.forwards = explainForwards(tenant, ext, request.at);
        const screens = (b: Tenant['blockLists']): boolean => b !== undefined && (b.incoming !== undefined || b.rejectAnonymous);
        const lists = [screens(tenant.blockLists) && "the administrator's", screens(ext.blockLists) && `${ext.number}'s`].filter(Boolean);
        extra.incomingBlockLists = lists.length === 0 ? 'none' : `checked before ringing: ${lists.join(', then ')}`;
      }
      break;
    }
    case 'huntGroup': {
      extra.huntGroup = d.group;
      const group = tenant?.huntGroups.get(d.group);
      if (tenant && group) extra.members = explainHuntGroup(tenant, group);
      break;
    }
    case 'application':
      extra.application = d.application;
      extra.kind = d.kind;
      break;
  }
  return { ...common, ...extra, request: { ...request, at: new Date(request.at).toISOString() } };
}
