// The `proxy` wire command (protocol doc §7): checks, then one ProxyContext per proxied transaction.
import { generateTag, type SipMessage } from '../../sip/index.js';
import type { Core, IncomingRequest } from '../core/contexts.js';
import type { ProxyService } from '../core/proxy-service.js';
import type { Inbound } from '../transport/types.js';
import { forgetIncoming } from '../core/incoming/delivery.js';
import { responseTo } from '../core/message-factory.js';
import { passThroughHeaders } from '../core/app-headers.js';
import { parseAppMessage } from '../core/app-message.js';
import type { AppConnection } from '../wire/app-connection.js';
import { failFrame } from '../wire/leader.js';
import { decodeProxyCommand } from './proxy-command.js';
import { forwardBase, isLoop, loopHash, maxForwardsOf, namesUs } from './forwarded-request.js';
import { ProxyContext } from './proxy-context.js';
import { relayLooseRouted, relayStatelessResponse } from './stateless-relay.js';

export class ProxyCore implements ProxyService {
  private readonly contexts = new Map<string, ProxyContext>();

  constructor(private readonly core: Core) {}

  get size(): number {
    return this.contexts.size;
  }

  command(conn: AppConnection, rid: string, args: readonly string[], sip: string): void {
    const core = this.core;
    const cmd = decodeProxyCommand(args);
    if (typeof cmd === 'string') return conn.send(failFrame(rid, 'NOK', cmd));
    const inc = core.pending.incoming(cmd.txnId);
    if (!inc || inc.owner !== conn.id || inc.answeredByEngine || inc.tx.isFinal || this.contexts.has(inc.tx.key)) {
      return conn.send(failFrame(rid, 'NOK', `Unknown transaction id: ${cmd.txnId}`));
    }
    const req = inc.tx.request;
    const mf = maxForwardsOf(req);
    if (!(mf > 0)) {
      this.reject(inc, 483);
      return conn.send(failFrame(rid, 'NOK', `Rejected with 483 Too Many Hops due to Max-Forwards value of ${Number.isNaN(mf) ? 'invalid' : mf}`));
    }
    if (isLoop(core, req)) {
      this.reject(inc, 482);
      return conn.send(failFrame(rid, 'NOK', 'Rejected with 482 Loop Detected'));
    }
    const app = parseAppMessage(sip, core.maxMessageSize);
    const extra = typeof app === 'string' ? [] : passThroughHeaders(app);
    forgetIncoming(core, inc);
    inc.tx.proxied();
    const ctx = new ProxyContext({
      core,
      conn,
      rid,
      cmd,
      tx: inc.tx,
      vias: inc.vias,
      setup: {
        base: forwardBase(core, req, mf, extra),
        replaceUri: namesUs(core, req.uri),
        recordRoute: cmd.remainInDialog,
        loopHash: loopHash(req, req.topVia()?.branch ?? ''),
        provisionalTimeoutMs: cmd.provisionalTimeoutMs,
        finalTimeoutMs: cmd.finalTimeoutMs,
      },
      onFinished: (c) => {
        if (this.contexts.get(c.key) === c) this.contexts.delete(c.key);
      },
    });
    this.contexts.set(ctx.key, ctx);
    ctx.start();
  }

  /** Upstream CANCEL for a proxied INVITE; true when it was ours. */
  cancel(inviteKey: string): boolean {
    const ctx = this.contexts.get(inviteKey);
    if (!ctx) return false;
    ctx.cancel();
    return true;
  }

  relayLooseRouted(req: SipMessage, inbound: Inbound): boolean {
    return relayLooseRouted(this.core, req, inbound);
  }

  relayResponse(res: SipMessage): boolean {
    return relayStatelessResponse(this.core, res);
  }

  stop(): void {
    for (const c of [...this.contexts.values()]) c.dispose();
  }

  private reject(inc: IncomingRequest, status: number): void {
    inc.tx.respond(responseTo(inc.tx.request, inc.vias, status, undefined, generateTag()));
    forgetIncoming(this.core, inc);
  }
}
