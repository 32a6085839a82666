import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A throwaway redis-server on a free loopback port, stopped by PID. */
export interface RedisServerHandle {
  port: number;
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL, as in a crash */
  kill(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    sock.connect(port, host, () => sock.write('PING\r\n'));
  });
}

/** `host`: the loopback address to bind (default 127.0.0.1), for test files with an address range of their own. */
export async function startRedisServer(opts: { timeoutMs?: number; host?: string; port?: number } = {}): Promise<RedisServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    throw new Error(`cannot start redis-server (is it on PATH? apt-get install -y redis-server): ${String(err)}`);
  }
  let exited = false;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (!(await ping(port, host))) {
    if (exited) throw new Error(`redis-server exited before answering PING: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (exited) return;
    process.kill(pid, signal);
    const timer = setTimeout(() => {
      if (!exited) process.kill(pid, 'SIGKILL');
    }, 3_000);
    await exitedPromise;
    clearTimeout(timer);
  };
  return {
    port,
    pid,
    url: `redis://${host}:${port}`,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/**
 * A redis-server that can be killed and started again on the same port and address (an outage
 * and its end). The data does not survive (no persistence): what is there after a restart was
 * written after it.
 */
export interface RestartableRedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: the store disappears at once, as in a crash */
  kill(): Promise<void>;
  /** a new redis-server on the same address and port */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRestartableRedisServer(opts: { host: string; timeoutMs?: number }): Promise<RestartableRedisServer> {
  let current = await startRedisServer(opts);
  const port = current.port;
  return {
    port,
    url: current.url,
    kill: () => current.kill(),
    async restart() {
      await current.kill();
      current = await startRedisServer({ ...opts, port });
    },
    stop: () => current.stop(),
  };
}

/** A redis-server for the whole test file (started before its tests, stopped after): `server()` inside tests. */
export function useRedisServer(beforeAll: (f: () => Promise<void>) => void, afterAll: (f: () => Promise<void>) => void): () => RedisServerHandle {
  let handle: RedisServerHandle | undefined;
  beforeAll(async () => {
    handle = await startRedisServer();
  });
  afterAll(async () => {
    await handle?.stop();
  });
  return () => {
    if (!handle) throw new Error('the redis-server of this file is not running');
    return handle;
  };
}
