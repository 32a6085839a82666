import type { RouteDecision } from '../domain/routing/decision.js';

/** The CLI's JSON: the same fields for every action (null when not applicable), then the details. */
export function routeDecisionJson(
  d: RouteDecision,
  request: { tenant: string; from: string; dial: string; at: number },
): Record<string, unknown> {
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
    case 'reject': extra.reason = d.reason; break;
    case 'outbound': extra.groupId = d.groupId; extra.callerId = d.callerId; break;
    case 'emergency': extra.record = d.record; extra.callerId = d.callerId; break;
    case 'feature': extra.feature = d.feature; extra.code = d.code; extra.argument = d.argument; break;
    case 'local': extra.extension = d.extension; break;
    case 'huntGroup': extra.huntGroup = d.group; break;
    case 'application': extra.application = d.application; extra.kind = d.kind; break;
  }
  return { ...common, ...extra, request: { ...request, at: new Date(request.at).toISOString() } };
}
