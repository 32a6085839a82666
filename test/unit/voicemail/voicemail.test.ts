import { describe, expect, it } from 'vitest';
import { mailboxDir, messageId, safeCaller } from '../../../src/app/voicemail/message-name.js';
import { messageSummary } from '../../../src/app/voicemail/mwi-body.js';
import { callerUser } from '../../../src/app/voicemail/leave-message.js';
import { countsOf, MemoryVoicemailStore } from '../../../src/store/voicemail-store.js';

describe('message names', () => {
  it('date (UTC, sortable) and the caller', () => {
    expect(messageId(new Date('2026-12-02T12:54:03.123Z'), '4165550101')).toBe('20261202T125403Z_4165550101');
  });

  it('a caller cannot put path characters in a file name', () => {
    expect(safeCaller('../../etc/passwd')).toBe('etcpasswd');
    expect(safeCaller('"Bob" <x>')).toBe('Bobx');
    expect(safeCaller('')).toBe('anonymous');
    expect(safeCaller('...')).toBe('anonymous');
  });

  it('the mailbox is <dir>/<tenant>/<extension>, absolute', () => {
    expect(mailboxDir('/var/vm', 'demo', '101')).toBe('/var/vm/demo/101');
    expect(mailboxDir('vm', 'demo', '101')).toBe(`${process.cwd()}/vm/demo/101`);
  });

  it('the caller user of a From header value', () => {
    expect(callerUser('"Bob" <sip:101@demo.local>;tag=1', 'x')).toBe('101');
    expect(callerUser('garbage', '4165550101')).toBe('4165550101');
  });
});

describe('MWI body (RFC 3842)', () => {
  it('new messages waiting', () => {
    expect(messageSummary({ newCount: 1, oldCount: 0 }, 'sip:101@demo.local')).toBe('Messages-Waiting: yes\r\nMessage-Account: sip:101@demo.local\r\nVoice-Message: 1/0 (0/0)\r\n');
  });
  it('only old messages: not waiting', () => {
    expect(messageSummary({ newCount: 0, oldCount: 2 })).toBe('Messages-Waiting: no\r\nVoice-Message: 0/2 (0/0)\r\n');
  });
});

describe('memory voicemail store', () => {
  const msg = (id: string, receivedAt: number) => ({ id, caller: '100', receivedAt, durationMs: 2000, file: `/vm/${id}.wav`, isNew: true });
  it('lists oldest first per mailbox; markOld and remove change the counts', async () => {
    const s = new MemoryVoicemailStore();
    await s.add('demo', '101', msg('b', 2));
    await s.add('demo', '101', msg('a', 1));
    await s.add('other', '101', msg('c', 3));
    expect((await s.list('demo', '101')).map((m) => m.id)).toEqual(['a', 'b']);
    expect(await s.markOld('demo', '101', 'a')).toBe(true);
    expect(await s.markOld('demo', '101', 'zzz')).toBe(false);
    expect(countsOf(await s.list('demo', '101'))).toEqual({ newCount: 1, oldCount: 1 });
    expect((await s.remove('demo', '101', 'b'))?.id).toBe('b');
    expect(await s.remove('demo', '101', 'b')).toBeUndefined();
    expect(countsOf(await s.list('demo', '101'))).toEqual({ newCount: 0, oldCount: 1 });
    expect(await s.list('other', '101')).toHaveLength(1);
  });
});
