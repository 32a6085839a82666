import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { chooseMenuOption, maxMenuDigits, type Application, type IvrAction, type IvrMenu, type MenuChoice, type Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { bridge } from '../calls/bridge.js';
import type { CallLog } from '../calls/call-record.js';
import type { CallerLeg } from '../calls/caller-leg.js';
import { callExtensionWithForwards, type OriginalCaller } from '../calls/extension-call.js';
import type { CallServices } from '../calls/services.js';
import { callThroughTrunks, type TrunkCallResult } from '../calls/trunk-call.js';
import { promptFile } from './prompts.js';
import { TransferParty, TransferState } from './transfer-party.js';
import { reasonPhrase } from '../../sip/index.js';

/** Menus a caller may walk through in one call: a configuration whose menus point at each other ends here. */
export const MAX_MENU_VISITS = 20;

type Step = { kind: 'menu'; app: Application } | { kind: 'connected' } | { kind: 'end' };

/**
 * An incoming call to an IVR (auto-attendant, DOMAIN §8): answered on a media server, the menu
 * plays and collects digits; an option or a dialled extension is transferred (every device rings,
 * with its forwards) through a second endpoint bridged to the caller's; timeouts and invalid input
 * replay the menu up to its tries, then `onFailure`. Digits are judged with the menu's own CoS.
 * Without a media server the caller gets 503 with Retry-After.
 */
export async function runIvrCall(ctx: AppContext, services: CallServices, caller: CallerLeg, tenant: Tenant, app: Application, original: OriginalCaller, call: CallLog): Promise<void> {
  const { log } = call;
  const ms = ctx.media?.pick();
  if (!ms || !app.menu) {
    const why = !ms ? 'no media server is connected' : `application ${app.name} has no menu`;
    log.warn({ application: app.name, why }, 'IVR call refused: 503');
    caller.reject(503, reasonPhrase(503), { 'Retry-After': '30' });
    call.finish(503);
    return;
  }
  let conn: { endpoint: Mrf.Endpoint; dialog: Srf.Dialog };
  try {
    conn = await caller.connectTo(ms);
  } catch (err) {
    const status = caller.gone ? 487 : 503;
    log.warn({ application: app.name, err: err instanceof Error ? err.message : String(err) }, `IVR call could not be answered on the media server: ${status}`);
    caller.reject(status, undefined, status === 503 ? { 'Retry-After': '30' } : {});
    call.finish(status);
    return;
  }
  call.answeredHere();
  log.info({ application: app.name }, 'IVR answered');
  const session = new IvrSession(ctx, services, tenant, original, call, ms, conn.endpoint, conn.dialog);
  await session.run(app);
}

class IvrSession {
  private gone = false;
  private readonly ended: Promise<void>;
  /** the call is over (the caller hung up, or a bridged callee did) */
  private end: () => void = () => undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly services: CallServices,
    private readonly tenant: Tenant,
    private readonly original: OriginalCaller,
    private readonly call: CallLog,
    private readonly ms: Mrf.MediaServer,
    private readonly ep: Mrf.Endpoint,
    private readonly dialog: Srf.Dialog,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
    // a BYE from the caller; the dialog's own destroy() (ours) does not emit this
    dialog.once('destroy', () => {
      this.gone = true;
      this.end();
    });
  }

  async run(first: Application): Promise<void> {
    let step: Step = { kind: 'menu', app: first };
    let visits = 0;
    try {
      await this.ep.set('playback_terminators', 'any');
      while (step.kind === 'menu' && !this.gone) {
        if (++visits > MAX_MENU_VISITS) {
          this.call.log.warn({ application: step.app.name, visits }, 'IVR menus visited too often (menus point at each other?): hanging up');
          break;
        }
        step = await this.menu(step.app);
      }
      if (step.kind === 'connected') await this.ended;
    } catch (err) {
      if (!this.gone) this.call.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'IVR call failed on the media server: hanging up');
    } finally {
      await this.hangUp();
      this.call.finish();
    }
  }

  /** One menu: up to `tries` rounds of prompt + digits, then its failure action. */
  private async menu(app: Application): Promise<Step> {
    const menu = app.menu!;
    for (let tries = 0; tries < menu.tries && !this.gone;) {
      const digits = await this.collect(menu);
      if (this.gone) return { kind: 'end' };
      const choice = chooseMenuOption(this.tenant, app, menu, digits, Date.now());
      this.step(app, choice.kind === 'timeout' ? 'timeout' : choice.kind === 'invalid' ? `invalid ${digits}` : `${digits} → ${describe(choice)}`);
      switch (choice.kind) {
        case 'action':
          if (choice.action.kind === 'repeat') continue;
          return this.act(app, choice.action);
        case 'dial': {
          const step = await this.transfer(app, choice.extension, this.toExtension(choice.extension));
          if (step) return step;
          break;
        }
        case 'outbound': {
          const { route } = choice;
          const plan = { number: route.number, trunks: route.trunks, identity: route.callerId, privacy: route.privacy, emergency: false };
          const step = await this.transfer(app, route.number, (party) => callThroughTrunks(this.ctx.srf, this.services.trunks, this.tenant, party, plan, this.call.record.attempts));
          if (step) return step;
          break;
        }
        case 'timeout':
          if (menu.timeoutPrompt) await this.play(menu.timeoutPrompt);
          break;
        case 'invalid':
          this.call.log.debug({ application: app.name, digits, why: choice.why }, 'IVR input refused');
          if (menu.invalidPrompt) await this.play(menu.invalidPrompt);
          break;
      }
      tries++;
    }
    if (this.gone) return { kind: 'end' };
    this.call.log.info({ application: app.name, tries: menu.tries, onFailure: menu.onFailure.kind }, 'IVR menu failed: no valid input');
    this.step(app, `no valid input after ${menu.tries} tries → ${describeAction(menu.onFailure)}`);
    return menu.onFailure.kind === 'repeat' ? { kind: 'menu', app } : this.act(app, menu.onFailure);
  }

  /** What the caller did in the menus, in the call's record ("why did my call go there?"). */
  private step(app: Application, what: string): void {
    (this.call.record.ivr ??= []).push(`${app.name}: ${what}`);
  }

  private async act(app: Application, action: IvrAction): Promise<Step> {
    switch (action.kind) {
      case 'extension':
        return (await this.transfer(app, action.extension, this.toExtension(action.extension))) ?? { kind: 'menu', app };
      case 'menu': {
        const next = this.tenant.applications.get(action.menu);
        if (!next?.menu) {
          this.call.log.warn({ application: app.name, menu: action.menu }, 'IVR option leads to a menu that does not exist: hanging up');
          return { kind: 'end' };
        }
        return { kind: 'menu', app: next };
      }
      case 'hangup':
        if (action.prompt) await this.play(action.prompt);
        return { kind: 'end' };
      case 'repeat':
        return { kind: 'menu', app };
    }
  }

  private toExtension(extension: string): (party: TransferParty) => Promise<TrunkCallResult> {
    return (party) => callExtensionWithForwards(this.ctx, this.services, party, this.tenant, extension, this.original, this.call.record.attempts, this.call.log);
  }

  /**
   * Rings `target` for the caller through a second endpoint; answered → both endpoints bridged
   * and the call stays up; not answered → undefined (back to the menu).
   */
  private async transfer(app: Application, target: string, ring: (party: TransferParty) => Promise<TrunkCallResult>): Promise<Step | undefined> {
    this.call.log.info({ application: app.name, target }, 'IVR transfer');
    const calleeEp = await this.ms.createEndpoint();
    const party = new TransferParty(this.dialog, this.ep, calleeEp);
    const { outcome, release } = await ring(party);
    if (outcome.kind === 'answered') {
      this.call.record.attempts.push({ target: `ivr ${app.name} → ${target}`, outcome: 200 });
      bridge(
        outcome.uas,
        outcome.uac,
        () => {
          release();
          void calleeEp.destroy().catch(() => undefined);
          this.gone = true;
          this.end();
        },
        false,
      );
      return { kind: 'connected' };
    }
    release();
    await party.stopRingback();
    await calleeEp.destroy().catch(() => undefined);
    if (party.state === TransferState.HandedOver) {
      // voicemail took the caller on its endpoint and hung up once the message was left
      this.gone = true;
      return { kind: 'end' };
    }
    if (this.gone) return { kind: 'end' };
    this.call.log.info({ application: app.name, target, status: outcome.status }, 'IVR transfer not answered: back to the menu');
    return undefined;
  }

  /**
   * The menu's prompts, then digits. Callers may press during any prompt (barge-in): leading
   * prompts stop at any digit (playback_terminators=any), which starts the input.
   */
  private async collect(menu: IvrMenu): Promise<string> {
    const prompts = menu.prompts.map((p) => promptFile(this.ctx.config.media, p, this.tenant));
    const max = maxMenuDigits(this.tenant, menu);
    let first = '';
    for (const prompt of prompts.slice(0, -1)) {
      await this.ep.play(prompt);
      first = await this.variable('playback_terminator_used');
      if (first !== '' || this.gone) break;
    }
    if (first !== '' && (max === 1 || this.complete(menu, first))) return first;
    const r = await this.ep.playCollect({
      file: first === '' ? prompts[prompts.length - 1] : 'silence_stream://250',
      min: 1,
      max: max - first.length,
      tries: 1,
      timeout: (first === '' ? menu.timeoutSeconds : menu.digitTimeoutSeconds) * 1000,
      digitTimeout: menu.digitTimeoutSeconds * 1000,
      terminators: '#',
      regexp: '[0-9*#]+',
    });
    return first + (r.digits ?? '');
  }

  /** An option digit that no dialable extension starts with needs no more digits. */
  private complete(menu: IvrMenu, digits: string): boolean {
    if (!menu.options.has(digits)) return false;
    const names = menu.dialExtensions.all ? [...this.tenant.extensions.keys()] : [...menu.dialExtensions.names];
    return !names.some((n) => n.startsWith(digits));
  }

  private async variable(name: string): Promise<string> {
    const r = await this.ep.api('uuid_getvar', `${this.ep.uuid} ${name}`);
    const v = r.body.trim();
    return v === '_undef_' || v.startsWith('-ERR') ? '' : v;
  }

  private async play(prompt: string): Promise<void> {
    await this.ep.play(promptFile(this.ctx.config.media, prompt, this.tenant));
  }

  private async hangUp(): Promise<void> {
    await this.ep.destroy().catch(() => undefined);
    if (!this.gone) {
      this.gone = true;
      await Promise.resolve(this.dialog.destroy()).catch(() => undefined);
    }
  }
}

function describeAction(a: IvrAction): string {
  switch (a.kind) {
    case 'extension':
      return `extension ${a.extension}`;
    case 'menu':
      return `menu ${a.menu}`;
    case 'hangup':
      return 'hang up';
    case 'repeat':
      return 'repeat';
  }
}

function describe(c: MenuChoice): string {
  switch (c.kind) {
    case 'action':
      return describeAction(c.action);
    case 'dial':
      return `extension ${c.extension}`;
    case 'outbound':
      return `outgoing ${c.route.number}`;
    default:
      return c.kind;
  }
}
