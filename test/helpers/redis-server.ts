import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A throwaway redis-server on a free loopback port, stopped by PID. */
export interface RedisServerHandle {
  port: number;
  url: string;
  pid: number;
  stop(): Promise<void>;
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

/** `host`: the loopback address to bind (default 127.0.0.1; test files of their own use their own range). */
export async function startRedisServer(opts: { timeoutMs?: number; host?: string } = {}): Promise<RedisServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const port = await freePort(host);
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
  return {
    port,
    pid,
    url: `redis://${host}:${port}`,
    async stop() {
      if (exited) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) process.kill(pid, 'SIGKILL');
      }, 3_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
