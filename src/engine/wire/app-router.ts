import type { AppConnection } from './app-connection.js';

/**
 * Which connected app gets a new request (§2.5, §2.6): registrations are a set of
 * (connection, verb) pairs kept in registration order, chosen round robin per verb.
 */
export class AppRouter {
  private readonly byVerb = new Map<string, AppConnection[]>();
  private readonly offsets = new Map<string, number>();

  add(conn: AppConnection, verb: string): void {
    const v = verb.toLowerCase();
    if (conn.verbs.has(v)) return;
    conn.verbs.add(v);
    const list = this.byVerb.get(v);
    if (list) list.push(conn);
    else this.byVerb.set(v, [conn]);
  }

  remove(conn: AppConnection, verb: string): void {
    const v = verb.toLowerCase();
    if (!conn.verbs.delete(v)) return;
    const list = this.byVerb.get(v);
    if (!list) return;
    const i = list.indexOf(conn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byVerb.delete(v);
  }

  removeAll(conn: AppConnection): void {
    for (const v of [...conn.verbs]) this.remove(conn, v);
  }

  pick(method: string): AppConnection | undefined {
    const v = method.toLowerCase();
    const list = this.byVerb.get(v);
    if (!list || list.length === 0) return undefined;
    let offset = this.offsets.get(v) ?? 0;
    if (offset >= list.length) offset = 0;
    this.offsets.set(v, offset + 1);
    return list[offset];
  }

  hasRoute(verb: string): boolean {
    return (this.byVerb.get(verb.toLowerCase())?.length ?? 0) > 0;
  }
}
