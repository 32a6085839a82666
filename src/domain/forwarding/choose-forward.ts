import type { Extension, ExtensionSettings, ForwardKind } from '../model.js';
import { isTimeSetActive } from '../schedule/time-set.js';
import { listRefuses, type IncomingCaller } from '../screening/screen.js';

export interface ChosenForward {
  readonly kind: ForwardKind;
  readonly to: string;
  readonly afterSeconds?: number;
  /** `feature-code`: set by the user with *72; `config`: the extension's configuration. */
  readonly source: 'feature-code' | 'config';
}

/**
 * The forward of `kind` that applies to a call from `caller` to `ext` at `at`: for
 * unconditional, the user's `*72` setting first; otherwise the configured rule, when its time set
 * (if any) is active and its callers (if any) let this caller through — an anonymous caller
 * passes a blacklist and no whitelist, having no number to match.
 */
export function chooseForward(ext: Extension, settings: ExtensionSettings, kind: ForwardKind, at: number, caller: IncomingCaller): ChosenForward | undefined {
  if (kind === 'unconditional' && settings.forwardTo !== undefined) return { kind, to: settings.forwardTo, source: 'feature-code' };
  const rule = ext.forwards.find((r) => r.kind === kind);
  if (rule === undefined) return undefined;
  if (rule.timeSet !== undefined && !isTimeSetActive(rule.timeSet, at)) return undefined;
  if (rule.callers !== undefined && listRefuses(rule.callers, caller.anonymous ? [] : caller.numbers) !== undefined) return undefined;
  return { kind, to: rule.to, source: 'config', ...(rule.afterSeconds !== undefined && { afterSeconds: rule.afterSeconds }) };
}

export const NO_SETTINGS: ExtensionSettings = { dnd: false };
