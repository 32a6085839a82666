import type { Channel } from './channel.js';

/** uuid_bridge: each leg's received audio becomes the other's sent audio (decoded, re-encoded: PCMU↔PCMA). */
export function bridge(a: Channel, b: Channel): void {
  unbridge(a);
  unbridge(b);
  a.bridgedTo = b;
  b.bridgedTo = a;
  const partnerGone = (other: Channel) => () => {
    // park_after_bridge: the surviving leg is parked, not hung up
    if (other.bridgedTo) unbridge(other);
  };
  a.onHangup.push(partnerGone(b));
  b.onHangup.push(partnerGone(a));
  a.vars.set('bridge_uuid', b.uuid);
  b.vars.set('bridge_uuid', a.uuid);
  a.fire('CHANNEL_BRIDGE', [
    ['Bridge-A-Unique-ID', a.uuid],
    ['Bridge-B-Unique-ID', b.uuid],
    ['Other-Leg-Unique-ID', b.uuid],
  ]);
}

export function unbridge(a: Channel): void {
  const b = a.bridgedTo;
  if (!b) return;
  a.bridgedTo = undefined;
  if (b.bridgedTo === a) b.bridgedTo = undefined;
  a.fire('CHANNEL_UNBRIDGE', [
    ['Bridge-A-Unique-ID', a.uuid],
    ['Bridge-B-Unique-ID', b.uuid],
    ['Other-Leg-Unique-ID', b.uuid],
  ]);
}
