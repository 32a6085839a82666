import { describe, expect, it } from 'vitest';
import { parseMediaArgs } from '../../../src/media/cli-args.js';
import { sofiaStatus } from '../../../src/media/api/sofia-status.js';
import { buildAnswer, buildOffer, chooseCodec, parseRemote } from '../../../src/media/sdp/sdp.js';

describe('npm run media flags', () => {
  it('reads every flag', () => {
    expect(
      parseMediaArgs([
        '--esl-port',
        '8022',
        '--esl-address',
        '127.1.0.5',
        '--password',
        'JambonzR0ck$',
        '--sip',
        '127.1.0.5:5090',
        '--profile',
        'p',
        '--sounds',
        '/s',
        '--recordings',
        '/r',
        '--rtp-range-start',
        '30000',
        '--rtp-range-end',
        '30100',
        '--loglevel',
        'debug',
        '--realtime-priority',
        '20',
      ]),
    ).toEqual({
      eslPort: 8022,
      eslAddress: '127.1.0.5',
      password: 'JambonzR0ck$',
      sipAddress: '127.1.0.5',
      sipPort: 5090,
      profile: 'p',
      soundsDir: '/s',
      recordingsDir: '/r',
      rtpRangeStart: 30000,
      rtpRangeEnd: 30100,
      loglevel: 'debug',
      realtimePriority: 20,
    });
  });

  it('rejects bad input with MEDIA_BAD_FLAG and the usage', () => {
    for (const bad of [
      ['--esl-port', 'x'],
      ['--sip', 'nohost'],
      ['--esl-address', '999.1.1.1'],
      ['--loglevel', 'loud'],
      ['--what'],
      ['--password'],
      ['--rtp-range-start', '40000', '--rtp-range-end', '30000'],
      ['--realtime-priority', '100'],
      ['--realtime-priority', '-1'],
      ['--realtime-priority', 'high'],
    ]) {
      expect(() => parseMediaArgs(bad)).toThrow(/MEDIA_BAD_FLAG[\s\S]*usage: npm run media/);
    }
  });
});

describe('sofia status (spec §3.1)', () => {
  it('matches fsmrf’s profile regex and has no TLS row', () => {
    const s = sofiaStatus('drachtio_mrf', '127.1.0.9', 5080, 3);
    expect(/^\s*drachtio_mrf\s.*sip:mod_sofia@((?:[0-9]{1,3}\.){3}[0-9]{1,3}:\d+)/m.exec(s)?.[1]).toBe('127.1.0.9:5080');
    expect(/\(TLS\)/.test(s)).toBe(false);
    expect(s.split('\n')[1]).toBe('='.repeat(97));
    expect(s).toContain('\tRUNNING (3)\n');
  });
});

describe('SDP', () => {
  const local = { ip: '127.1.0.9', port: 30000, sessionId: 1, version: 1 };
  it('offers only implemented codecs plus telephone-event', () => {
    const o = buildOffer(local);
    expect(o).toMatch(/^m=audio 30000 RTP\/AVP 0 8 101\r$/m);
    expect(o).not.toMatch(/opus|G722|G729/i);
  });

  it('answers greedily with one codec and the offered telephone-event type', () => {
    const remote = parseRemote('v=0\r\no=- 1 1 IN IP4 127.1.0.1\r\ns=-\r\nc=IN IP4 127.1.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\na=sendonly\r\n');
    expect(remote).toMatchObject({ address: '127.1.0.1', port: 4000, codecs: ['PCMA', 'PCMU'], dtmfPt: 96, direction: 'sendonly' });
    expect(chooseCodec(remote)).toBe('PCMU');
    const a = buildAnswer(local, 'PCMU', remote);
    expect(a).toMatch(/^m=audio 30000 RTP\/AVP 0 96\r$/m);
    expect(a).toContain('a=recvonly');
  });

  it('rejects SAVP, no audio, no IPv4 and no common codec', () => {
    const base = (m: string, c = 'c=IN IP4 1.2.3.4\r\n'): string => `v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n${c}t=0 0\r\n${m}`;
    expect(() => parseRemote(base('m=audio 1 RTP/SAVP 0\r\n'))).toThrow(/MEDIA_BAD_SDP/);
    expect(() => parseRemote(base('m=video 1 RTP/AVP 96\r\n'))).toThrow(/MEDIA_BAD_SDP/);
    expect(() => parseRemote(base('m=audio 1 RTP/AVP 0\r\n', 'c=IN IP6 ::1\r\n'))).toThrow(/MEDIA_BAD_SDP/);
    expect(() => parseRemote(base('m=audio 1 RTP/AVP 18\r\n'))).toThrow(/MEDIA_NO_COMMON_CODEC/);
  });
});
