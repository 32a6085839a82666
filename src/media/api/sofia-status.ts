/** `sofia status` as mod_sofia prints it (spec §3.1); fsmrf parses the profile row with a regex. */
export function sofiaStatus(profile: string, ip: string, port: number, inUse: number): string {
  const eq = '='.repeat(97);
  const url = `sip:mod_sofia@${ip}:${port}`;
  return [
    `${'Name'.padStart(25)}\t${'Type'.padStart(10)}\t${'Data'.padStart(40)}\t${'State'.padStart(10)}`,
    eq,
    `${profile.padStart(25)}\tprofile\t  ${url.padStart(40)}\tRUNNING (${inUse})`,
    eq,
    '1 profile 0 aliases',
    '',
  ].join('\n');
}

/** `status` in FreeSWITCH's layout. */
export function coreStatus(startedAt: number, sessionsSinceStartup: number, sessions: number, maxSessions: number): string {
  let ms = Date.now() - startedAt;
  const days = Math.floor(ms / 86_400_000);
  ms -= days * 86_400_000;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const s = Math.floor(ms / 1000);
  ms -= s * 1000;
  return (
    `UP 0 years, ${days} days, ${h} hours, ${m} minutes, ${s} seconds, ${ms} milliseconds, 0 microseconds\n` +
    `FreeSWITCH (Version 1.10.12-embedded 64bit) is ready\n` +
    `${sessionsSinceStartup} session(s) since startup\n` +
    `${sessions} session(s) - peak ${sessions}, last 5min ${sessions} \n` +
    `0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n` +
    `${maxSessions} session(s) max\n` +
    `min idle cpu 0.00/100.00\n` +
    `Current Stack Size/Max 240K/8192K\n`
  );
}
