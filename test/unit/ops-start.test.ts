import { describe, expect, it } from 'vitest';
import { describeListenError } from '../../src/engine/listen-error.js';
import { resolveLogFormat } from '../../src/ops/logger.js';

describe('log format', () => {
  it('auto is pretty on a terminal and JSON otherwise; an explicit format wins', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('listen errors', () => {
  it('name the transport, the address and what to do', () => {
    expect(describeListenError({ code: 'EADDRINUSE', syscall: 'bind', address: '127.0.0.1', port: 5060 })).toBe(
      'cannot listen on UDP 127.0.0.1:5060: the address is already in use (is another copy running, or another server on that port?)',
    );
    expect(describeListenError({ code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 })).toMatch(/^cannot listen on TCP 0\.0\.0\.0:80: permission denied/);
    expect(describeListenError(new Error('other'))).toBeUndefined();
  });
});
