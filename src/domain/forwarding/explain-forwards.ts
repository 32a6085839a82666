import type { Extension, HuntGroup, Tenant } from '../model.js';
import { isTimeSetActive } from '../schedule/time-set.js';
import { judgeForward } from './judge-forward.js';

/** One configured forward as the route dry run shows it: when it applies and what it would do now. */
export interface ForwardExplanation {
  readonly kind: string;
  readonly to: string;
  readonly timeSet?: string;
  readonly activeNow: boolean;
  readonly afterSeconds?: number;
  /** a source set: `only 100 4165551*` or `all but 1905*` */
  readonly callers?: string;
  /** e.g. `outbound line longdistance → +19055551234`, `extension 102`, `refused 403: …` */
  readonly outcome: string;
}

/** The extension's configured forwards, each judged with the extension's own CoS at `at`. */
export function explainForwards(tenant: Tenant, ext: Extension, at: number): ForwardExplanation[] {
  return ext.forwards.map((f) => {
    const j = judgeForward(tenant, ext, f.to, at, [ext.number]);
    const outcome =
      j.kind === 'outbound'
        ? `outbound line ${j.route.line} → ${j.route.number} (${j.route.trunks.join(', ')})`
        : j.kind === 'extension'
          ? `extension ${j.extension} (its own forwards apply)`
          : j.kind === 'huntGroup'
            ? `hunt group ${j.group}`
            : j.kind === 'voicemail'
              ? `voicemail of ${j.extension} (when a media server is connected)`
              : `refused ${j.status}: ${j.why}`;
    return {
      kind: f.kind,
      to: f.to,
      ...(f.timeSet !== undefined && { timeSet: f.timeSet.name }),
      activeNow: f.timeSet === undefined || isTimeSetActive(f.timeSet, at),
      ...(f.afterSeconds !== undefined && { afterSeconds: f.afterSeconds }),
      ...(f.callers !== undefined && { callers: `${f.callers.mode === 'whitelist' ? 'only' : 'all but'} ${f.callers.patterns.map((p) => p.source).join(' ') || '(none)'}` }),
      outcome,
    };
  });
}

/** A hunt group's members in order, with what each would ring. */
export function explainHuntGroup(tenant: Tenant, group: HuntGroup): { to: string; seconds: number; rings: string }[] {
  return group.members.map((m) => {
    const ext = tenant.extensions.get(m.to);
    const rings =
      ext !== undefined ? `every device of extension ${ext.number}` : group.cos === undefined ? 'skipped: a number, and the group has no CoS' : `number ${m.to}, judged by CoS ${group.cos.name}`;
    return { to: m.to, seconds: m.seconds, rings };
  });
}
