import type { Application, CosDefinition, IvrAction, IvrMenu, Tenant } from '../model.js';
import type { OutboundRoute } from '../routing/decision.js';
import { decideRoute } from '../routing/decide.js';

export type MenuChoice =
  | { readonly kind: 'action'; readonly action: IvrAction }
  | { readonly kind: 'dial'; readonly extension: string }
  | { readonly kind: 'outbound'; readonly route: OutboundRoute }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'invalid'; readonly why: string };

/**
 * What the digits a caller entered in an IVR menu lead to. A single digit with an option runs it;
 * longer input is dialled with the MENU's CoS (DOMAIN §5: the IVR's own, restricted by default),
 * never the caller's: an extension it allows for dial-by-extension, an outgoing line only if that
 * CoS grants one; anything else (feature codes, numbers it does not grant) is invalid input.
 */
export function chooseMenuOption(tenant: Tenant, app: Application, menu: IvrMenu, digits: string, at: number): MenuChoice {
  if (digits === '') return { kind: 'timeout' };
  const option = menu.options.get(digits);
  if (option !== undefined) return { kind: 'action', action: option };
  const d = decideRoute({ tenant, caller: { service: `ivr ${app.name}`, cos: menu.cos, callerId: {} }, dialled: digits, at });
  switch (d.action) {
    case 'local':
      return dialable(menu, d.extension) ? { kind: 'dial', extension: d.extension } : { kind: 'invalid', why: `extension ${d.extension} is not dialable from this menu` };
    case 'outbound':
      return { kind: 'outbound', route: d };
    case 'reject':
      return { kind: 'invalid', why: `${digits}: ${d.rule.detail}` };
    default:
      return { kind: 'invalid', why: `${digits}: ${d.action} is not reachable from an IVR` };
  }
}

function dialable(menu: IvrMenu, extension: string): boolean {
  return menu.dialExtensions.all || menu.dialExtensions.names.has(extension);
}

/** Longest number a caller may dial from a menu whose CoS grants outgoing lines (ended by # or the digit timeout). */
const MAX_DIALLED_DIGITS = 20;

/**
 * Longest input a menu collects: one option digit, an extension number when it allows dialling,
 * a full number when its CoS grants an outgoing line.
 */
export function maxMenuDigits(tenant: Tenant, menu: IvrMenu): number {
  if (grantsOutgoingLines(menu.cos)) return MAX_DIALLED_DIGITS;
  if (!menu.dialExtensions.all && menu.dialExtensions.names.size === 0) return 1;
  const names = menu.dialExtensions.all ? [...tenant.extensions.keys()] : [...menu.dialExtensions.names];
  return Math.max(1, ...names.map((n) => n.length));
}

function grantsOutgoingLines(cos: CosDefinition): boolean {
  return cos.outgoingLines === 'all' || cos.outgoingLines.length > 0 || cos.includes.some(grantsOutgoingLines);
}
